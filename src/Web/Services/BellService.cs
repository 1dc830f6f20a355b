using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Notifications;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

public sealed record BellView(int Unread, IReadOnlyList<MailboxEntry> Entries);

/// <summary>
/// The in-app bell: a user reads their own mailbox plus their department's and their role's (office, leadership).
/// Each reader keeps their own read mark in each mailbox.
/// </summary>
public sealed class BellService(IGrainFactory grains)
{
    public const int PageSize = 30;

    public static IReadOnlyList<string> MailboxesOf(Actor actor)
    {
        var mailboxes = new List<string> { Mailboxes.ForUser(actor.UserName) };
        if (actor.Role == Role.Department && actor.DepartmentId is { } department) mailboxes.Add(Mailboxes.ForDepartment(department));
        if (actor.Role == Role.Office) mailboxes.Add(Mailboxes.Office);
        if (actor.Role == Role.Leadership) mailboxes.Add(Mailboxes.Leadership);
        return mailboxes;
    }

    public async Task<BellView> Read(ClaimsPrincipal user)
    {
        var actor = user.ToActor();
        var pages = await Task.WhenAll(MailboxesOf(actor).Select(m => grains.GetGrain<IMailboxGrain>(m).Read(actor.UserName, PageSize)));
        return new BellView(pages.Sum(p => p.Unread),
            pages.SelectMany(p => p.Entries).OrderByDescending(e => e.Notification.At).Take(PageSize).ToList());
    }

    /// <summary>Marks everything in the user's mailboxes read (up to what each holds now).</summary>
    public async Task MarkAllRead(ClaimsPrincipal user)
    {
        var actor = user.ToActor();
        foreach (var mailbox in MailboxesOf(actor))
        {
            var grain = grains.GetGrain<IMailboxGrain>(mailbox);
            var page = await grain.Read(actor.UserName, 0);
            await grain.MarkRead(actor.UserName, page.LastSequence);
        }
    }

    public Task<IReadOnlyList<OutboundMessage>> GetOutbox(int take) => grains.GetGrain<IOutboxGrain>(IOutboxGrain.City).GetRecent(take);
}
