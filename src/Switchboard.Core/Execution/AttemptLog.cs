using System.Globalization;
using System.Text;

namespace Switchboard.Execution;

/// <summary>
/// Every upstream call a request made, in order: the deployment, how it ended and how long it took. Read into
/// <c>x-switchboard-attempts</c> so a client sees why it got the answer it got.
/// </summary>
public sealed class AttemptLog
{
    private readonly List<Attempt> _attempts = [];
    private readonly object _gate = new();

    public int Count
    {
        get { lock (_gate) return _attempts.Count; }
    }

    public IReadOnlyList<Attempt> Attempts
    {
        get { lock (_gate) return [.. _attempts]; }
    }

    public void Add(Attempt attempt)
    {
        lock (_gate) _attempts.Add(attempt);
    }

    /// <summary><c>openai/gpt-4o unavailable:503 12ms, anthropic/claude-sonnet-4-5 ok 340ms</c>.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            var text = new StringBuilder();
            foreach (var attempt in _attempts)
            {
                if (text.Length > 0) text.Append(", ");
                text.Append(attempt.Provider).Append('/').Append(attempt.Model).Append(' ').Append(attempt.Outcome).Append(' ')
                    .Append(Math.Round(attempt.Time.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)).Append("ms");
            }
            return text.ToString();
        }
    }
}
