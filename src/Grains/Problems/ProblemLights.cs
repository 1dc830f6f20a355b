using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Settings;

namespace KeyProjects.Grains.Problems;

/// <summary>
/// The warning light of a problem from its state and the light rules in force. Causes are read from the state as it
/// is now, so the colour goes back as soon as its cause is gone (claimed, paused, resolved, closed).
/// Reason keys: claim-warning, claim-breached, resolution-warning, resolution-breached, returned, escalated, two-yellows.
/// </summary>
public static class ProblemLights
{
    public static LightReading Read(ProblemState s, ProblemSettings settings)
    {
        var rules = settings.Lights;
        if (s.Status == ProblemStatus.Closed) return new LightReading(WarningLight.Green, [], settings.Version);

        var red = new List<string>();
        var yellow = new List<string>();
        var clockRuns = s.PauseState != PauseState.Paused;
        if (clockRuns && s.Status == ProblemStatus.Routed)
            Deadline("claim", s.ClaimWarnedAt, s.ClaimBreachedAt);
        if (clockRuns && s.Status is ProblemStatus.Routed or ProblemStatus.InProgress)
            Deadline("resolution", s.ResolutionWarnedAt, s.ResolutionBreachedAt);
        if (s.Returns.Count >= rules.YellowAfterReturns && s.Status is ProblemStatus.Unrouted or ProblemStatus.AwaitingRuling or ProblemStatus.Routed)
            yellow.Add("returned");
        if (s.EscalationLevel > 0 && s.Status != ProblemStatus.ResolutionSubmitted)
            (rules.RedAtEscalation ? red : yellow).Add("escalated");

        if (red.Count > 0) return new LightReading(WarningLight.Red, [.. red, .. yellow], settings.Version);
        if (yellow.Count >= 2 && rules.TwoYellowsMakeRed) return new LightReading(WarningLight.Red, [.. yellow, "two-yellows"], settings.Version);
        return new LightReading(yellow.Count > 0 ? WarningLight.Yellow : WarningLight.Green, yellow, settings.Version);

        void Deadline(string which, DateTimeOffset? warned, DateTimeOffset? breached)
        {
            if (breached is not null) (rules.RedAtBreach ? red : yellow).Add(which + "-breached");
            else if (warned is not null && rules.YellowAtPreBreach) yellow.Add(which + "-warning");
        }
    }

    /// <summary>A project's light: the worst of its open problems; two yellow problems make red under the same rule.</summary>
    public static LightReading ForProject(IEnumerable<ProblemSummary> problems, LightRules rules, int rulesVersion)
    {
        var open = problems.Where(p => p.IsOpen && p.Light is not null).ToList();
        var reds = open.Where(p => p.Light.Light == WarningLight.Red).Select(p => "problem-red:" + p.Title).ToList();
        var yellows = open.Where(p => p.Light.Light == WarningLight.Yellow).Select(p => "problem-yellow:" + p.Title).ToList();
        return ProjectColour(reds.Count, yellows.Count, rules) switch
        {
            WarningLight.Red when reds.Count == 0 => new LightReading(WarningLight.Red, [.. yellows, "two-yellows"], rulesVersion),
            var light => new LightReading(light, [.. reds, .. yellows], rulesVersion),
        };
    }

    /// <summary>A project's colour from its open red and yellow problems: any red, or two yellows when the rules say so, is red.</summary>
    public static WarningLight ProjectColour(int reds, int yellows, LightRules rules) =>
        reds > 0 || (yellows >= 2 && rules.TwoYellowsMakeRed) ? WarningLight.Red : yellows > 0 ? WarningLight.Yellow : WarningLight.Green;
}
