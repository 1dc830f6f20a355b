using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.WarRoom;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

/// <summary>Kiosk tokens for wall screens (admin): list, issue (the secret is shown once), revoke.</summary>
public sealed class KioskTokenService(IGrainFactory grains, AuditLog audit, KeyProjects.Silo.ReadModel.ReadModelQueries readModel)
{
    private IKioskTokensGrain Tokens => grains.GetGrain<IKioskTokensGrain>(IKioskTokensGrain.City);

    /// <summary>Null unless the user is an administrator.</summary>
    public async Task<IReadOnlyList<KioskToken>?> List(ClaimsPrincipal user) =>
        user.ToActor().Role == Role.Admin ? await Tokens.List() : null;

    /// <summary>Tokens issued and revoked, from the event log (stream kiosk-city), newest first; null unless the user is an administrator.</summary>
    public async Task<IReadOnlyList<LoggedHistoryEntry>?> History(ClaimsPrincipal user) =>
        user.ToActor().Role != Role.Admin ? null
        : (await readModel.Stream(KeyProjects.Grains.Events.Streams.Of(KeyProjects.Grains.Events.Streams.Kiosk, IKioskTokensGrain.City))).Select(e =>
        {
            var change = KeyProjects.Grains.Events.EventJson.Read<KioskTokenChanged>(e.Data);
            return new LoggedHistoryEntry(e.Position, e.Sequence, e.At, e.Kind, e.Actor, e.ActorName, null, null, change.Token.Name, e.PrevHash, e.Hash);
        }).Reverse().Take(200).ToList();

    public async Task<(CommandOutcome Outcome, IssuedKioskToken? Issued)> Issue(ClaimsPrincipal user, string? name, string key)
    {
        var issued = await Tokens.Issue(user.ToActor(), name ?? "", key);
        if (issued.Outcome.Succeeded) await audit.Admin(user, "kiosk-token.issued", name?.Trim() ?? "");
        return issued;
    }

    public async Task<CommandOutcome> Revoke(ClaimsPrincipal user, string id)
    {
        var outcome = await Tokens.Revoke(user.ToActor(), id);
        if (outcome.Succeeded) await audit.Admin(user, "kiosk-token.revoked", id);
        return outcome;
    }
}
