using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography;
using System.Text;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Events;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace KeyProjects.Grains.WarRoom;

public sealed class KioskTokensState
{
    public List<StoredKioskToken> Tokens { get; set; } = [];
    public List<ProcessedCommand> RecentCommands { get; set; } = [];
    public int Version { get; set; }
    public List<DomainEvent> Outbox { get; set; } = [];
}

/// <summary>A kiosk token issued or revoked (never its secret): the event's payload.</summary>
public sealed record KioskTokenChanged(string Action, KioskToken Token);

public sealed record StoredKioskToken(KioskToken Token, string SecretHash, string CommandId);

public sealed class KioskTokensGrain(
    [PersistentState("kiosk-tokens")] IPersistentState<KioskTokensState> state,
    [FromKeyedServices(CityClock.Key)] TimeProvider clock,
    ILogger<KioskTokensGrain> logger) : Grain, IKioskTokensGrain
{
    /// <summary>Every secret starts so, which is how the web host tells a kiosk token from a user's bearer token.</summary>
    public const string Prefix = "kiosk_";

    private KioskTokensState S => state.State;

    public async Task<(CommandOutcome Outcome, IssuedKioskToken? Issued)> Issue(Actor actor, string name, string commandId)
    {
        if (actor.Role != Role.Admin)
            return (CommandOutcome.Forbidden("kiosk.forbidden", "Only an administrator issues kiosk tokens."), null);
        if (CommandOutcome.RequiredText("name", name, 50) is { } invalid) return (invalid, null);
        if (CommandLog.Check(S.RecentCommands, commandId, "kiosk.issue", actor) is { } seen)
            return seen.Succeeded
                ? (seen, new IssuedKioskToken(S.Tokens.Single(t => t.CommandId == commandId).Token, null))
                : (seen, null);

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = $"{Prefix}{id}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";
        var token = new KioskToken(id, name.Trim(), actor.UserName, clock.GetUtcNow(), null, null, actor.DisplayName);
        S.Tokens.Add(new StoredKioskToken(token, Hash(secret), commandId));
        CommandLog.Remember(S.RecentCommands, commandId, "kiosk.issue", actor, token.IssuedAt);
        await Commit(actor, new KioskTokenChanged("token-issued", token));
        return (CommandOutcome.Ok, new IssuedKioskToken(token, secret));
    }

    public async Task<CommandOutcome> Revoke(Actor actor, string tokenId)
    {
        if (actor.Role != Role.Admin)
            return CommandOutcome.Forbidden("kiosk.forbidden", "Only an administrator revokes kiosk tokens.");
        var index = S.Tokens.FindIndex(t => t.Token.Id == tokenId);
        if (index < 0) return CommandOutcome.NotFound("kiosk.not_found", $"No kiosk token {tokenId}.");
        if (!S.Tokens[index].Token.IsActive) return CommandOutcome.Ok; // revoking twice changes nothing
        S.Tokens[index] = S.Tokens[index] with
        {
            Token = S.Tokens[index].Token with { RevokedAt = clock.GetUtcNow(), RevokedBy = actor.UserName },
        };
        await Commit(actor, new KioskTokenChanged("token-revoked", S.Tokens[index].Token));
        return CommandOutcome.Ok;
    }

    /// <summary>Writes the change with its event (stream kiosk-city: who issued or revoked which token, when), then hands the event on.</summary>
    private async Task Commit(Actor actor, KioskTokenChanged change)
    {
        S.Version++;
        S.Outbox.Add(new DomainEvent(
            Streams.Of(Streams.Kiosk, IKioskTokensGrain.City), S.Version, "kiosk." + change.Action, actor.UserName, actor.DisplayName, clock.GetUtcNow(),
            new EventConcerns(IKioskTokensGrain.City, null, null, [], null, change.Token.Name, []), EventJson.Write(change)));
        await GrainState.Persist(this, state);
        await Delivery.HandOn();
    }

    private OutboxDelivery? _outbox;
    private OutboxDelivery Delivery => _outbox ??= new(this, GrainFactory, () => S.Outbox, logger, "Kiosk tokens");

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Delivery.HandOnAtActivation();

    public Task<IReadOnlyList<KioskToken>> List() =>
        Task.FromResult<IReadOnlyList<KioskToken>>(S.Tokens.Select(t => t.Token).OrderByDescending(t => t.IssuedAt).ToList());

    public Task<KioskToken?> Validate(string secret)
    {
        if (string.IsNullOrEmpty(secret) || !secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 200)
            return Task.FromResult<KioskToken?>(null);
        var hash = Hash(secret);
        var match = S.Tokens.Find(t => CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(t.SecretHash), Encoding.ASCII.GetBytes(hash)));
        return Task.FromResult(match?.Token is { IsActive: true } token ? token : null);
    }

    public Task<bool> IsActive(string tokenId) =>
        Task.FromResult(S.Tokens.Exists(t => t.Token.Id == tokenId && t.Token.IsActive));

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
