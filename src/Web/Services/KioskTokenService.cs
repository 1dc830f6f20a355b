using System.Security.Claims;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.WarRoom;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Services;

/// <summary>Kiosk tokens for wall screens (admin): list, issue (the secret is shown once), revoke.</summary>
public sealed class KioskTokenService(IGrainFactory grains)
{
    private IKioskTokensGrain Tokens => grains.GetGrain<IKioskTokensGrain>(IKioskTokensGrain.City);

    /// <summary>Null unless the user is an administrator.</summary>
    public async Task<IReadOnlyList<KioskToken>?> List(ClaimsPrincipal user) =>
        user.ToActor().Role == Role.Admin ? await Tokens.List() : null;

    public Task<(CommandOutcome Outcome, IssuedKioskToken? Issued)> Issue(ClaimsPrincipal user, string? name, string key) =>
        Tokens.Issue(user.ToActor(), name ?? "", key);

    public Task<CommandOutcome> Revoke(ClaimsPrincipal user, string id) => Tokens.Revoke(user.ToActor(), id);
}
