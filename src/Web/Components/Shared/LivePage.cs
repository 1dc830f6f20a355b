using KeyProjects.Grains.Live;
using KeyProjects.Web.Live;
using Microsoft.AspNetCore.Components;

namespace KeyProjects.Web.Components.Shared;

/// <summary>
/// A page that reloads its data when a relevant live event reaches this web host, without a browser reload.
/// Reloads are coalesced: one in flight, at most one waiting.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    [Inject] private LiveUpdates Updates { get; set; } = default!;
    private IDisposable? _subscription;
    private readonly Lock _gate = new();
    private bool _reloading, _reloadWaiting;

    protected override async Task OnInitializedAsync()
    {
        _subscription = Updates.Subscribe(events =>
        {
            if (events.Any(IsRelevant)) ScheduleReload();
        });
        await LoadAsync();
    }

    protected abstract Task LoadAsync();

    protected virtual bool IsRelevant(LiveEvent e) => true;

    /// <summary>One reload in flight and at most one waiting: a burst of events costs two reads, not one per event.</summary>
    private void ScheduleReload()
    {
        lock (_gate)
        {
            if (_reloading)
            {
                _reloadWaiting = true;
                return;
            }
            _reloading = true;
        }
        _ = InvokeAsync(ReloadUntilCurrent);
    }

    private async Task ReloadUntilCurrent()
    {
        while (true)
        {
            await ReloadAndRender();
            lock (_gate)
            {
                if (!_reloadWaiting)
                {
                    _reloading = false;
                    return;
                }
                _reloadWaiting = false;
            }
        }
    }

    private async Task ReloadAndRender()
    {
        try
        {
            await LoadAsync();
            StateHasChanged();
        }
        catch (Exception e)
        {
            await DispatchExceptionAsync(e); // the circuit's error handling shows and logs it
        }
    }

    /// <summary>Called once when the page goes away (a page with a timer or a presence stops them here).</summary>
    protected virtual void OnDisposing()
    {
    }

    public void Dispose()
    {
        OnDisposing();
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
