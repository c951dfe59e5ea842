namespace Switchboard.Storage.Jobs;

/// <summary>How many of a batch's jobs are in each status.</summary>
public sealed record JobCounts(int Pending, int Running, int Succeeded, int Failed, int Cancelled)
{
    /// <summary>Every job counted.</summary>
    public int Total => Pending + Running + Succeeded + Failed + Cancelled;

    /// <summary>True when no job is left to run.</summary>
    public bool Done => Pending == 0 && Running == 0;
}
