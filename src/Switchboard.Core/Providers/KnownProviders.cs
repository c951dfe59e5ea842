namespace Switchboard.Providers;

/// <summary>The providers Switchboard knows by name, and the name patterns that place a bare model name.</summary>
public static class KnownProviders
{
    public const string OpenAICompatible = "openai-compatible";

    /// <summary>The type of a provider that runs a local program (<c>type: command</c>).</summary>
    public const string CommandType = "command";

    public static readonly ProviderDescriptor OpenAI = new("openai", "OpenAI", WireDialect.OpenAI, "https://api.openai.com/v1", ["OPENAI_API_KEY"], "sk-...")
    {
        BaseUrlVariable = "OPENAI_BASE_URL",
    };

    public static readonly ProviderDescriptor Anthropic = new("anthropic", "Anthropic", WireDialect.Anthropic, "https://api.anthropic.com", ["ANTHROPIC_API_KEY"], "sk-ant-...", "/v1/messages")
    {
        BaseUrlVariable = "ANTHROPIC_BASE_URL",
    };

    public static readonly ProviderDescriptor OpenRouter = new("openrouter", "OpenRouter", WireDialect.OpenAI, "https://openrouter.ai/api/v1", ["OPENROUTER_API_KEY"], "sk-or-...");

    public static readonly ProviderDescriptor Google = new("google", "Google Gemini", WireDialect.Gemini, "https://generativelanguage.googleapis.com/v1beta", ["GEMINI_API_KEY", "GOOGLE_API_KEY"], "AIza...", "/models")
    {
        Prefixes = ["gemini"],
    };

    public static readonly ProviderDescriptor Together = new("together", "Together AI", WireDialect.OpenAI, "https://api.together.xyz/v1", ["TOGETHER_API_KEY"], "...");

    public static readonly ProviderDescriptor DeepSeek = new("deepseek", "DeepSeek", WireDialect.OpenAI, "https://api.deepseek.com/v1", ["DEEPSEEK_API_KEY"], "sk-...");

    public static readonly ProviderDescriptor Groq = new("groq", "Groq", WireDialect.OpenAI, "https://api.groq.com/openai/v1", ["GROQ_API_KEY"], "gsk_...");

    public static readonly ProviderDescriptor XAI = new("xai", "xAI", WireDialect.OpenAI, "https://api.x.ai/v1", ["XAI_API_KEY"], "xai-...");

    public static readonly ProviderDescriptor Mistral = new("mistral", "Mistral", WireDialect.OpenAI, "https://api.mistral.ai/v1", ["MISTRAL_API_KEY"], "...");

    public static readonly ProviderDescriptor Fireworks = new("fireworks", "Fireworks AI", WireDialect.OpenAI, "https://api.fireworks.ai/inference/v1", ["FIREWORKS_API_KEY"], "fw_...");

    public static readonly ProviderDescriptor Perplexity = new("perplexity", "Perplexity", WireDialect.OpenAI, "https://api.perplexity.ai", ["PERPLEXITY_API_KEY"], "pplx-...");

    public static readonly ProviderDescriptor Azure = new("azure", "Azure OpenAI", WireDialect.OpenAI, null, ["AZURE_OPENAI_API_KEY"], "...", "/openai/deployments")
    {
        BaseUrlVariable = "AZURE_OPENAI_ENDPOINT",
        OtherVariables = [("AZURE_OPENAI_ENDPOINT", "https://YOUR-RESOURCE.openai.azure.com")],
    };

    /// <summary>AWS Bedrock; its endpoint is per region, filled in from <c>AWS_REGION</c>.</summary>
    public static readonly ProviderDescriptor Bedrock = new("bedrock", "AWS Bedrock", WireDialect.Bedrock, "https://bedrock-runtime.{AWS_REGION}.amazonaws.com", ["AWS_ACCESS_KEY_ID"], "AKIA...", "/model")
    {
        OtherVariables = [("AWS_SECRET_ACCESS_KEY", "..."), ("AWS_REGION", "us-east-1")],
        OptionalVariables = ["AWS_SESSION_TOKEN"],
    };

    /// <summary>Ollama's OpenAI-compatible API under <c>/v1</c>; local, so no key.</summary>
    public static readonly ProviderDescriptor Ollama = new("ollama", "Ollama", WireDialect.OpenAI, "http://127.0.0.1:11434", [], "", "/v1/chat/completions");

    /// <summary>Any server that speaks OpenAI's chat completions (vLLM, LM Studio, ...); its base URL comes from config.</summary>
    public static readonly ProviderDescriptor Compatible = new(OpenAICompatible, "OpenAI-compatible server", WireDialect.OpenAI, null, [], "");

    /// <summary>
    /// A local program run from the config's <c>command</c> template, such as a vendor's CLI; no key and no base URL.
    /// Known only as a type: without a template there is nothing to run, so it is never enabled by default.
    /// </summary>
    public static readonly ProviderDescriptor Command = new(CommandType, "Command provider", WireDialect.Command, null, [], "", "");

    /// <summary>Every provider known by name, in the order they are listed to users.</summary>
    public static readonly IReadOnlyList<ProviderDescriptor> All =
        [OpenAI, Anthropic, Google, Azure, Bedrock, OpenRouter, Groq, Together, DeepSeek, XAI, Mistral, Fireworks, Perplexity, Ollama];

    /// <summary>What a config entry's <c>type:</c> may say.</summary>
    public static readonly IReadOnlyList<string> Types = [.. All.Select(p => p.Name), OpenAICompatible, CommandType];

    /// <summary>
    /// How a bare model name is placed when the catalog does not know it. Checked in order; the first
    /// prefix that matches wins.
    /// </summary>
    public static readonly IReadOnlyList<(string Prefix, ProviderDescriptor Provider)> NamePatterns =
    [
        ("claude-", Anthropic),
        ("gpt-", OpenAI),
        ("chatgpt-", OpenAI),
        ("o1", OpenAI),
        ("o3", OpenAI),
        ("o4", OpenAI),
        ("gemini-", Google),
        ("deepseek-", DeepSeek),
        ("grok-", XAI),
        ("mistral-", Mistral),
        ("codestral-", Mistral),
        ("ministral-", Mistral),
        ("magistral-", Mistral),
        ("pixtral-", Mistral),
    ];

    // An array, so matching a name walks it without an enumerator.
    private static readonly (string Prefix, ProviderDescriptor Provider)[] Patterns = [.. NamePatterns];

    /// <summary>The known provider with this name or prefix (<c>gemini</c> finds Google), or null.</summary>
    public static ProviderDescriptor? Find(string name)
    {
        foreach (var provider in All)
        {
            if (string.Equals(provider.Name, name, StringComparison.OrdinalIgnoreCase)) return provider;
            foreach (var prefix in provider.Prefixes)
            {
                if (string.Equals(prefix, name, StringComparison.OrdinalIgnoreCase)) return provider;
            }
        }
        if (string.Equals(name, CommandType, StringComparison.OrdinalIgnoreCase)) return Command;
        return string.Equals(name, OpenAICompatible, StringComparison.OrdinalIgnoreCase) ? Compatible : null;
    }

    /// <summary>The provider a bare model name's pattern points to, or null.</summary>
    public static ProviderDescriptor? MatchPattern(string model)
    {
        foreach (var (prefix, provider) in Patterns)
        {
            if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return provider;
        }
        return null;
    }
}
