using System.Text.Json;
using Shouldly;

namespace Switchboard.Gateway.Tests;

/// <summary>An error as an OpenAI client sees it: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal sealed record OpenAIError(string Message, string Type, string? Param, string? Code)
{
    /// <summary>Parses <paramref name="json"/>, asserting it has exactly OpenAI's error shape.</summary>
    public static OpenAIError Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        root.ValueKind.ShouldBe(JsonValueKind.Object, json);
        root.TryGetProperty("error", out var error).ShouldBeTrue($"no \"error\" object in {json}");
        error.ValueKind.ShouldBe(JsonValueKind.Object, json);
        foreach (var name in new[] { "message", "type", "param", "code" })
            error.TryGetProperty(name, out _).ShouldBeTrue($"error.{name} is missing from {json}");
        var message = error.GetProperty("message");
        message.ValueKind.ShouldBe(JsonValueKind.String, json);
        message.GetString().ShouldNotBeNullOrWhiteSpace();
        error.GetProperty("type").ValueKind.ShouldBe(JsonValueKind.String, json);
        return new OpenAIError(message.GetString()!, error.GetProperty("type").GetString()!, StringOrNull(error.GetProperty("param")), StringOrNull(error.GetProperty("code")));
    }

    private static string? StringOrNull(JsonElement element)
    {
        element.ValueKind.ShouldBeOneOf(JsonValueKind.String, JsonValueKind.Null);
        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
