namespace Switchboard.Providers;

/// <summary>The wire format a provider speaks. Same dialect in and out means pass-through; otherwise translation.</summary>
public enum WireDialect
{
    OpenAI,
    Anthropic,
    Gemini,
    Bedrock,
    Ollama,
    Command,
}
