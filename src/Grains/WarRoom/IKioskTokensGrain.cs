using KeyProjects.Grains.Domain;
using Orleans.Concurrency;

namespace KeyProjects.Grains.WarRoom;

/// <summary>The city's kiosk tokens: an administrator issues and revokes them; the web host checks them on every request.</summary>
public interface IKioskTokensGrain : IGrainWithStringKey
{
    const string City = "city";

    Task<(CommandOutcome Outcome, IssuedKioskToken? Issued)> Issue(Actor actor, string name, string commandId);
    Task<CommandOutcome> Revoke(Actor actor, string tokenId);
    Task<IReadOnlyList<KioskToken>> List();

    /// <summary>The active token the secret text belongs to, or null (unknown, malformed or revoked).</summary>
    [AlwaysInterleave]
    Task<KioskToken?> Validate(string secret);

    /// <summary>Whether a token signed in earlier is still active (a kiosk's cookie is checked on every request).</summary>
    [AlwaysInterleave]
    Task<bool> IsActive(string tokenId);
}
