using KeyProjects.Grains.Domain;

namespace KeyProjects.Web.Services;

/// <summary>What a read returns: the thing, or why not (not found, or not the reader's to read — <see cref="Identity.ReadAccess"/>).</summary>
public sealed record Readable<T>(T? Value, CommandOutcome? Refused = null) where T : class
{
    public static Readable<T> Found(T value) => new(value);
    public static Readable<T> No(CommandOutcome why) => new(null, why);
    public static Readable<T> NotFound(string code, string message) => new(null, CommandOutcome.NotFound(code, message));
}
