namespace Switchboard.Storage.Jobs;

/// <summary>The words a <see cref="JobStatus"/> is written as, in columns and on the wire.</summary>
public static class JobStatuses
{
    /// <summary>Every status, in the order of a job's life.</summary>
    public static IReadOnlyList<JobStatus> All { get; } = Enum.GetValues<JobStatus>();

    /// <summary>The status as a lower-case word: <c>pending</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>cancelled</c>.</summary>
    public static string ToText(JobStatus status) => status switch
    {
        JobStatus.Pending => "pending",
        JobStatus.Running => "running",
        JobStatus.Succeeded => "succeeded",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown job status"),
    };

    /// <summary>The status a word names; null when it names none.</summary>
    public static JobStatus? Parse(string text)
    {
        foreach (var status in All)
        {
            if (string.Equals(ToText(status), text, StringComparison.OrdinalIgnoreCase)) return status;
        }
        return null;
    }

    /// <summary>True for the statuses a job never leaves.</summary>
    public static bool IsFinished(JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;
}
