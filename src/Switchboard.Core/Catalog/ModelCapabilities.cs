namespace Switchboard.Catalog;

/// <summary>The capability names the catalog and config use.</summary>
public static class ModelCapabilities
{
    public const string Tools = "tools";
    public const string Vision = "vision";
    public const string JsonMode = "json_mode";
    public const string Reasoning = "reasoning";
    public const string Streaming = "streaming";

    /// <summary>The model accepts sampling parameters (<c>temperature</c>, <c>top_p</c>, penalties).</summary>
    public const string Temperature = "temperature";
}
