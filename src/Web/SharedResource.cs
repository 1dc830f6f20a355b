namespace KeyProjects.Web;

/// <summary>Marker for the UI strings: Resources/SharedResource.resx (中文, the default) and SharedResource.en.resx.</summary>
public sealed class SharedResource;
