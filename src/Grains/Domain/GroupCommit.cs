using Orleans.Runtime;

namespace KeyProjects.Grains.Domain;

/// <summary>
/// Group commit for a reentrant grain that many others keep informed (the command office, a department, a project):
/// at most one state write runs at a time. A change that arrives while a write runs is queued, applied as soon as the
/// write ends — never while storage may be reading the state — and written together with the other queued changes.
/// Each caller is answered once a write that includes its change is durable, so a busy grain writes as often as
/// storage allows instead of once per change.
/// </summary>
public sealed class GroupCommit<T>(IGrainBase grain, IPersistentState<T> state)
{
    private bool _writing;
    private List<Action>? _queued;
    private TaskCompletionSource? _next;

    /// <summary>Applies <paramref name="change"/> to the state (now, or after the running write) and makes it durable.</summary>
    public Task Change(Action change)
    {
        if (!_writing)
        {
            change();
            return Write();
        }
        (_queued ??= []).Add(change);
        _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _next.Task;
    }

    private async Task Write()
    {
        _writing = true;
        try
        {
            await GrainState.Persist(grain, state);
        }
        finally
        {
            _writing = false;
            if (_next is { } waiting)
            {
                var changes = _queued!;
                (_next, _queued) = (null, null);
                _ = WriteFor(changes, waiting);
            }
        }
    }

    private async Task WriteFor(List<Action> changes, TaskCompletionSource waiting)
    {
        try
        {
            foreach (var change in changes) change();
            await Write();
            waiting.SetResult();
        }
        catch (Exception e)
        {
            waiting.SetException(e);
        }
    }
}
