using Dapper;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Silo.Storage;

namespace KeyProjects.Silo.Commands;

public enum KeyClaim
{
    /// <summary>The key is new: the command runs for the first time.</summary>
    New,
    /// <summary>The key was used for this very request: a retry, answered by the aggregate as the first time.</summary>
    Retry,
    /// <summary>The key was used for another request: refused.</summary>
    Reused,
}

/// <summary>
/// The idempotency keys of API commands (kp_command_keys), per user, with a fingerprint of the request they came
/// with, kept for <see cref="Retention"/>.
/// </summary>
public sealed class CommandKeyStore(StorageSettings storage)
{
    /// <summary>As long as the grains remember the keys they applied.</summary>
    public static readonly TimeSpan Retention = KeyProjects.Grains.Domain.CommandLog.Retention;

    public async Task<KeyClaim> Claim(string userName, string key, string fingerprint, DateTimeOffset now)
    {
        await using var connection = Database.Open(storage);
        var inserted = await connection.ExecuteAsync(
            "INSERT INTO kp_command_keys (user_name, key, fingerprint, created_at) VALUES (@userName, @key, @fingerprint, @at) ON CONFLICT DO NOTHING",
            new { userName, key, fingerprint, at = Database.Millis(now) });
        if (inserted == 1) return KeyClaim.New;
        var known = await connection.ExecuteScalarAsync<string>(
            "SELECT fingerprint FROM kp_command_keys WHERE user_name = @userName AND key = @key", new { userName, key });
        return known == fingerprint ? KeyClaim.Retry : KeyClaim.Reused;
    }

    /// <summary>Forgets one key: its command was refused and changed nothing, so the key may carry a corrected request.</summary>
    public async Task Forget(string userName, string key)
    {
        await using var connection = Database.Open(storage);
        await connection.ExecuteAsync("DELETE FROM kp_command_keys WHERE user_name = @userName AND key = @key", new { userName, key });
    }

    /// <summary>Forgets keys older than the retention period; returns how many.</summary>
    public async Task<int> Expire(DateTimeOffset now)
    {
        await using var connection = Database.Open(storage);
        return await connection.ExecuteAsync("DELETE FROM kp_command_keys WHERE created_at < @cutoff", new { cutoff = Database.Millis(now - Retention) });
    }
}
