using System.Security.Cryptography;
using System.Text;

namespace KeyProjects.Grains.Domain;

/// <summary>Idempotency keys: a retried command carries the same key and is not applied twice.</summary>
public static class CommandId
{
    public const int MaxLength = 100;

    /// <summary>A stable grain key derived from an idempotency key, so a retried "create" lands on the same grain.</summary>
    public static Guid DeriveGuid(string scope, string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\n" + idempotencyKey));
        return new Guid(hash.AsSpan(0, 16));
    }
}
