using Switchboard.Configuration;
using System.CommandLine;
using Spectre.Console;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Usage;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard chat</c>: one question to any model, in-process, with what it cost.</summary>
internal static class ChatCommand
{
    /// <summary>Cheap, fast and widely available; the missing-key message says how to enable it or pick another.</summary>
    public const string DefaultModel = "gpt-4o-mini";

    public static Command Create(CliEnvironment env)
    {
        var model = new Option<string>("--model", "-m")
        {
            Description = "The model to ask: a model (gpt-4o, claude-sonnet-4-5), provider/model (groq/llama-3.3-70b-versatile, openrouter/anthropic/claude-sonnet-4) or an alias from the config. Its provider's key must be set.",
            HelpName = "MODEL",
            DefaultValueFactory = _ => DefaultModel,
        };
        var temperature = CliOptions.Number("--temperature", 0, 2, "-t");
        temperature.Description = "Sampling temperature, 0 to 2; dropped for models that do not accept it.";
        temperature.HelpName = "T";
        var topP = CliOptions.Number("--top-p", 0, 1);
        topP.Description = "Nucleus sampling: only the most likely tokens whose probabilities add up to P, 0 to 1.";
        topP.HelpName = "P";
        var maxTokens = CliOptions.Integer("--max-tokens", 1, int.MaxValue);
        maxTokens.Description = "The most tokens the answer may have.";
        maxTokens.HelpName = "N";
        var system = new Option<string?>("--system", "-s")
        {
            Description = "A system prompt to send before the question.",
            HelpName = "TEXT",
        };
        var stream = new Option<bool>("--stream")
        {
            Description = "Print the answer as it arrives instead of all at once.",
        };
        var config = CliOptions.Config();
        var prompt = new Argument<string[]>("prompt")
        {
            Description = "The question. Several words are joined with spaces; without any, the prompt is read from standard input.",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var command = new Command("chat",
            $"Ask a model one question and print the answer, then the provider, model, tokens and cost. Calls the provider directly (no server needed). Default model: {DefaultModel}.")
        {
            model, temperature, topP, maxTokens, system, stream, config, prompt,
        };
        command.SetAction(CliApp.Guard(env, (result, cancellationToken) =>
        {
            var request = new ChatRequest
            {
                Model = result.GetValue(model) ?? DefaultModel,
                Messages = Messages(result.GetValue(system), ReadPrompt(result.GetValue(prompt), env, "chat")),
                Temperature = result.GetValue(temperature),
                TopP = result.GetValue(topP),
                MaxTokens = result.GetValue(maxTokens),
            };
            var modelChosen = result.GetResult(model) is { Implicit: false };
            return RunAsync(env, result.GetValue(config), request, result.GetValue(stream), modelChosen, cancellationToken);
        }));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment env, string? configPath, ChatRequest request, bool stream, bool modelChosen, CancellationToken cancellationToken)
    {
        var options = ConfigLoader.Load(configPath, env.Variables, env.WorkingDirectory);
        using var runtime = new SwitchboardRuntime(options, environment: env.Variables);
        var client = new SwitchboardClient(runtime);
        try
        {
            return stream
                ? await StreamAsync(env, client, request, cancellationToken)
                : await CompleteAsync(env, client, request, cancellationToken);
        }
        catch (SwitchboardException e) when (!modelChosen && e.Code == "missing_api_key")
        {
            env.Error.MarkupLineInterpolated($"[red]{e.Message}[/]");
            env.Error.MarkupLineInterpolated($"[dim]{DefaultModel} is the default model; ask another with --model, such as --model groq/llama-3.3-70b-versatile.[/]");
            return ExitCodes.Provider;
        }
    }

    private static async Task<int> CompleteAsync(CliEnvironment env, SwitchboardClient client, ChatRequest request, CancellationToken cancellationToken)
    {
        var completion = await client.CompleteAsync(request, cancellationToken);
        var choice = completion.Response.Choices.FirstOrDefault();
        var answer = env.Out.Profile.Out.Writer;
        if (choice?.Message.Content?.AllText() is { Length: > 0 } text) await answer.WriteLineAsync(text);
        if (choice?.Message.Refusal is { Length: > 0 } refusal) env.Out.MarkupLineInterpolated($"[yellow]Refused: {refusal}[/]");
        WriteSummary(env, completion.Target, completion.Attempts, completion.Usage, completion.Cost, choice?.FinishReason);
        return ExitCodes.Ok;
    }

    private static async Task<int> StreamAsync(CliEnvironment env, SwitchboardClient client, ChatRequest request, CancellationToken cancellationToken)
    {
        await using var stream = await client.StreamAsync(request, cancellationToken);
        // The answer is written raw, not as a Spectre renderable: markup would misread brackets and wrapping would
        // break lines that the model did not break.
        var answer = env.Out.Profile.Out.Writer;
        string? finishReason = null;
        var endsWithNewline = true;
        try
        {
            await foreach (var chunk in stream.ReadAsync(cancellationToken))
            {
                foreach (var choice in chunk.Choices)
                {
                    if (choice.Index != 0) continue;
                    if (choice.Delta.Content is { Length: > 0 } text)
                    {
                        await answer.WriteAsync(text);
                        await answer.FlushAsync(cancellationToken);
                        endsWithNewline = text[^1] == '\n';
                    }
                    finishReason = choice.FinishReason ?? finishReason;
                }
            }
        }
        finally
        {
            // Also when the stream breaks off: the error then starts on a line of its own.
            if (!endsWithNewline) await answer.WriteLineAsync();
        }
        WriteSummary(env, stream.Target, stream.Attempts, stream.Usage, stream.Cost, finishReason);
        return ExitCodes.Ok;
    }

    /// <summary>One dim line after the answer: where it ran, the tokens by kind, and the cost when the price is known.</summary>
    private static void WriteSummary(CliEnvironment env, ModelResolution target, int attempts, TokenUsage? usage, decimal? cost, string? finishReason)
    {
        var parts = new List<string> { $"{target.Provider.Name}/{target.Model}" };
        parts.Add(usage is { } tokens
            ? $"tokens: {Format.Count(tokens.Input)} input, {Format.Count(tokens.CachedInput)} cached, {Format.Count(tokens.Output)} output, {Format.Count(tokens.Reasoning)} reasoning"
            : "tokens unknown (the provider reported no usage)");
        parts.Add(cost is { } dollars ? "cost " + Format.Cost(dollars) : "cost unknown");
        if (attempts > 1) parts.Add($"{attempts} attempts");
        if (finishReason == FinishReasons.Length) parts.Add("cut off at the token limit");
        env.Error.MarkupLineInterpolated($"[dim]{string.Join(" · ", parts)}[/]");
    }

    /// <summary>The prompt from the command's words, or else from standard input; a usage error naming <paramref name="command"/> when there is none.</summary>
    public static string ReadPrompt(string[]? words, CliEnvironment env, string command)
    {
        var prompt = words is { Length: > 0 } ? string.Join(' ', words) : env.Input?.ReadToEnd();
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw new UsageException(env.Input is null
                ? $"Give a prompt: switchboard {command} \"What is a gateway?\", or pipe one in: echo \"...\" | switchboard {command}"
                : "The prompt is empty: the text piped to standard input was blank.");
        }
        return prompt.Trim();
    }

    private static List<ChatMessage> Messages(string? system, string prompt) =>
        system is { Length: > 0 } ? [ChatMessage.System(system), ChatMessage.User(prompt)] : [ChatMessage.User(prompt)];
}
