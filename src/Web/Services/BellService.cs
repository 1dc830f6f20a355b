using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Notifications;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

public sealed record BellView(int Unread, IReadOnlyList<MailboxEntry> Entries);

/// <summary>
/// The in-app bell: a user reads their own mailbox plus their department's and their role's (office, leadership).
/// Each reader keeps their own read mark in each mailbox.
/// </summary>
public sealed class BellService(IGrainFactory grains, ReadModelQueries readModel)
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
        var mailboxes = MailboxesOf(actor);
        var unread = 0;
        foreach (var mailbox in mailboxes)
        {
            var mark = await grains.GetGrain<IMailboxGrain>(mailbox).GetReadMark(actor.UserName);
            unread += (await readModel.Unread(mailbox, mark)).Unread;
        }
        return new BellView(unread, await readModel.Notifications(mailboxes, PageSize));
    }

    /// <summary>Marks everything in the user's mailboxes read (up to what each holds now).</summary>
    public async Task MarkAllRead(ClaimsPrincipal user)
    {
        var actor = user.ToActor();
        foreach (var mailbox in MailboxesOf(actor))
        {
            var (_, latest) = await readModel.Unread(mailbox, 0);
            await grains.GetGrain<IMailboxGrain>(mailbox).MarkRead(actor.UserName, latest);
        }
    }

    /// <summary>What the outbound channel would have sent, newest first.</summary>
    public Task<IReadOnlyList<OutboundMessage>> GetOutbox(int take) => readModel.Outbound(take);
}
