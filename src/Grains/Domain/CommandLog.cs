namespace KeyProjects.Grains.Domain;

/// <summary>An idempotency key a grain applied, with the command kind and who sent it.</summary>
public sealed record ProcessedCommand(string CommandId, string Kind, string UserName);

/// <summary>
/// The bounded memory of applied idempotency keys a grain keeps in its state: a retried command is recognised and
/// answered with its first outcome; a key reused for another command or by another user is refused.
/// </summary>
public static class CommandLog
{
    public const int Remembered = 100;

    /// <summary>Null for a new command; Ok for a retry of an applied one; a rejection for a bad or reused key.</summary>
    public static CommandOutcome? Check(List<ProcessedCommand> recent, string commandId, string kind, Actor actor)
    {
        if (string.IsNullOrWhiteSpace(commandId) || commandId.Length > CommandId.MaxLength)
            return CommandOutcome.Invalid("idempotencyKey", "command.invalid_key", $"An idempotency key of 1 to {CommandId.MaxLength} characters is required.");
        var seen = recent.Find(c => c.CommandId == commandId);
        if (seen is null) return null;
        if (seen.Kind != kind || seen.UserName != actor.UserName)
            return CommandOutcome.Conflict("command.key_reused", "This idempotency key was already used for another command.");
        return CommandOutcome.Ok;
    }

    public static void Remember(List<ProcessedCommand> recent, string commandId, string kind, Actor actor)
    {
        recent.Add(new ProcessedCommand(commandId, kind, actor.UserName));
        if (recent.Count > Remembered) recent.RemoveAt(0);
    }
}
