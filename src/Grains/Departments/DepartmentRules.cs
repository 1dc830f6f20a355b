using System.Text.RegularExpressions;
using KeyProjects.Grains.Domain;

namespace KeyProjects.Grains.Departments;

/// <summary>A unit proposed to lead a problem: how well its duties match, and which duty words matched.</summary>
[GenerateSerializer, Immutable]
public sealed record LeadProposal(string DepartmentId, string Name, int Score, IReadOnlyList<string> Matched);

/// <summary>What a unit's profile and duty list may hold, and the checks every command that gives a unit work makes.</summary>
public static partial class DepartmentRules
{
    public const int NameMaxLength = 64, IdMaxLength = 64, MaxDuties = 40, DutyMaxLength = 200, ReasonMaxLength = 500;

    /// <summary>
    /// Null when the unit exists and takes new work; else a 400 naming <paramref name="field"/>: unknown, or retired
    /// (a retired unit keeps what it handled but is given nothing new).
    /// </summary>
    public static async Task<CommandOutcome?> TakesWork(IGrainFactory grains, string? id, string field)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > IdMaxLength || await grains.GetGrain<IDepartmentGrain>(id).GetProfile() is not { } unit)
            return CommandOutcome.Invalid(field, "department.not_found", $"Department '{id}' does not exist.");
        return unit.Retired ? CommandOutcome.Invalid(field, "department.retired", $"'{unit.Name}' is retired and takes no new work.") : null;
    }

    /// <summary>A duty list as kept: each line trimmed, blank and repeated lines dropped; too many or too long is named.</summary>
    public static (IReadOnlyList<string> Duties, CommandOutcome? Refused) Duties(IEnumerable<string?>? lines)
    {
        var duties = (lines ?? []).Select(l => l?.Trim() ?? "").Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (duties.Count > MaxDuties) return ([], CommandOutcome.Invalid("duties", "field.too_many", $"At most {MaxDuties} duties."));
        if (duties.Any(d => d.Length > DutyMaxLength)) return ([], CommandOutcome.Invalid("duties", "text.too_long", $"At most {DutyMaxLength} characters a duty."));
        return (duties, null);
    }

    /// <summary>
    /// The units whose duty lists best match a problem's words, best first (at most <paramref name="take"/>, retired
    /// units never). A duty line is cut into its terms at punctuation and joining words (、，；及和与); a term of two
    /// characters or more found in the text scores its length, so "土地供应" outweighs "用地". Units that match nothing are
    /// not proposed: the office routes the problem itself.
    /// </summary>
    public static IReadOnlyList<LeadProposal> ProposeLead(string text, IEnumerable<DepartmentView> units, int take = 3)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var proposals = new List<LeadProposal>();
        foreach (var unit in units.Where(u => !u.Profile.Retired))
        {
            var matched = unit.Duties.SelectMany(d => TermSplit().Split(d)).Select(t => t.Trim())
                .Where(t => t.Length >= 2 && text.Contains(t, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.Ordinal).ToList();
            // A term inside a longer matched term (用地 in 建设用地) adds nothing of its own.
            matched = matched.Where(t => !matched.Any(o => o.Length > t.Length && o.Contains(t, StringComparison.Ordinal))).ToList();
            if (matched.Count > 0)
                proposals.Add(new LeadProposal(unit.Profile.Id, unit.Profile.Name, matched.Sum(t => t.Length), matched.OrderByDescending(t => t.Length).Take(5).ToList()));
        }
        return proposals.OrderByDescending(p => p.Score).ThenBy(p => p.DepartmentId, StringComparer.Ordinal).Take(take).ToList();
    }

    /// <summary>A unit's code: letters, digits, '-' and '_', at most <see cref="IdMaxLength"/>.</summary>
    public static bool IsWellFormedId(string id) => id.Length <= IdMaxLength && IdChars().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex IdChars();

    [GeneratedRegex(@"[、，,；;。：:\s/（）()\[\]【】“”""]+|及|和|与|或|等")]
    private static partial Regex TermSplit();
}
