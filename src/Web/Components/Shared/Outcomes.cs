using KeyProjects.Grains.Domain;
using Microsoft.Extensions.Localization;
using Radzen;

namespace KeyProjects.Web.Components.Shared;

public static class Outcomes
{
    /// <summary>Shows a refused command to the user in their language (falls back to the grain's message).</summary>
    public static void Notify(NotificationService notifications, IStringLocalizer localizer, CommandOutcome outcome)
    {
        var text = localizer["Error." + outcome.Code];
        notifications.Notify(new NotificationMessage
        {
            Severity = NotificationSeverity.Error,
            Summary = localizer["Action.Refused"],
            Detail = text.ResourceNotFound ? outcome.Message ?? outcome.Code ?? "" : text.Value,
            Duration = 6000,
        });
    }
}
