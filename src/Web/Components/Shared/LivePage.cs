using KeyProjects.Grains.Live;
using KeyProjects.Web.Live;
using Microsoft.AspNetCore.Components;

namespace KeyProjects.Web.Components.Shared;

/// <summary>
/// A page that reloads its data when a relevant live event reaches this web host, without a browser reload.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    [Inject] private LiveUpdates Updates { get; set; } = default!;
    private IDisposable? _subscription;

    protected override async Task OnInitializedAsync()
    {
        _subscription = Updates.Subscribe(events =>
        {
            if (events.Any(IsRelevant)) _ = InvokeAsync(ReloadAndRender);
        });
        await LoadAsync();
    }

    protected abstract Task LoadAsync();

    protected virtual bool IsRelevant(LiveEvent e) => true;

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

    public void Dispose()
    {
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
