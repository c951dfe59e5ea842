namespace Switchboard.Storage;

/// <summary>One rate counter: a metric of one virtual key.</summary>
/// <param name="Metric">What is counted.</param>
/// <param name="KeyId">The virtual key's id.</param>
public readonly record struct RateScope(RateMetric Metric, string KeyId)
{
    /// <summary>The requests-per-minute counter of a key.</summary>
    public static RateScope Requests(string keyId) => new(RateMetric.Requests, keyId);

    /// <summary>The tokens-per-minute counter of a key.</summary>
    public static RateScope Tokens(string keyId) => new(RateMetric.Tokens, keyId);

    /// <summary>The counter's name in the store: <c>rpm:vk_...</c> or <c>tpm:vk_...</c>.</summary>
    public override string ToString() => (Metric == RateMetric.Requests ? "rpm:" : "tpm:") + KeyId;
}
