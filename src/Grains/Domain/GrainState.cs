using Orleans.Runtime;

namespace KeyProjects.Grains.Domain;

public static class GrainState
{
    /// <summary>
    /// Writes a grain's state. If the write fails the in-memory state can no longer be trusted, so the grain is
    /// deactivated (it reloads the last durable state on its next call) and the failure propagates to the caller.
    /// </summary>
    public static async Task Persist<T>(IGrainBase grain, IPersistentState<T> state)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
