using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>
/// How the model may use tools: a mode (<c>auto</c>, <c>none</c>, <c>required</c>) or one named function.
/// </summary>
[JsonConverter(typeof(ToolChoiceConverter))]
public sealed record ToolChoice
{
    public const string Auto = "auto";
    public const string None = "none";
    public const string Required = "required";

    /// <summary>The mode, or null when a function is named.</summary>
    public string? Mode { get; init; }

    /// <summary>The function the model must call, or null when a mode is given.</summary>
    public string? FunctionName { get; init; }

    public static ToolChoice ForMode(string mode) => new() { Mode = mode };

    public static ToolChoice ForFunction(string name) => new() { FunctionName = name };
}
