using System.Text.Json.Serialization;

namespace Switchboard.Storage;

/// <summary>The window a budget applies to. Windows are UTC and reset at their boundary.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BudgetPeriod>))]
public enum BudgetPeriod
{
    /// <summary>From UTC midnight to the next.</summary>
    [JsonStringEnumMemberName("day")]
    Day,

    /// <summary>From Monday 00:00 UTC to the next Monday.</summary>
    [JsonStringEnumMemberName("week")]
    Week,

    /// <summary>From the 1st of the month 00:00 UTC to the 1st of the next.</summary>
    [JsonStringEnumMemberName("month")]
    Month,

    /// <summary>All time: never resets.</summary>
    [JsonStringEnumMemberName("total")]
    Total,
}
