namespace KeyProjects.Grains.Domain;

public enum OutcomeKind
{
    Ok,
    Invalid,    // 400: a field is wrong
    Forbidden,  // 403: the actor may not do this
    NotFound,   // 404: no such thing
    Conflict,   // 409: wrong state for this command
}

/// <summary>
/// The result of a command a grain judged. Grains return outcomes rather than throw, so a rejected command
/// crosses the wire as data, maps to an HTTP status, and is known to have changed nothing.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CommandOutcome(OutcomeKind Kind, string? Code = null, string? Field = null, string? Message = null)
{
    public static readonly CommandOutcome Ok = new(OutcomeKind.Ok);
    public bool Succeeded => Kind == OutcomeKind.Ok;

    public static CommandOutcome Invalid(string field, string code, string message) => new(OutcomeKind.Invalid, code, field, message);
    public static CommandOutcome Forbidden(string code, string message) => new(OutcomeKind.Forbidden, code, null, message);
    public static CommandOutcome NotFound(string code, string message) => new(OutcomeKind.NotFound, code, null, message);
    public static CommandOutcome Conflict(string code, string message) => new(OutcomeKind.Conflict, code, null, message);

    /// <summary>A required text field: present, not blank, and at most maxLength characters; null when it is fine.</summary>
    public static CommandOutcome? RequiredText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) return Invalid(field, "field.required", $"'{field}' is required.");
        if (value.Length > maxLength) return Invalid(field, "text.too_long", $"At most {maxLength} characters.");
        return null;
    }
}

/// <summary>A command's outcome and, when it succeeded, what it produced (the problem, the directive…).</summary>
public interface ICommandResult<out TView>
{
    CommandOutcome Outcome { get; }
    TView? Value { get; }
}
