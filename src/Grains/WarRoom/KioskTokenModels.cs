namespace KeyProjects.Grains.WarRoom;

/// <summary>
/// A read-only kiosk token for a war-room screen (指挥大屏). Only its SHA-256 hash is kept; the secret is shown once,
/// when it is issued. A revoked token opens nothing.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record KioskToken(
    string Id,
    string Name,
    string IssuedBy,
    DateTimeOffset IssuedAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    string? IssuedByName = null)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>What issuing returns: the token, and its secret text unless this was a retry (the secret is never stored).</summary>
[GenerateSerializer, Immutable]
public sealed record IssuedKioskToken(KioskToken Token, string? Secret);
