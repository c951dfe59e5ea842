using System.Buffers;
using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Configuration;

namespace Switchboard.Providers.Command;

/// <summary>
/// A provider of <c>type: command</c>: a local program (a vendor's CLI, a script) run once per call from the config's
/// template, such as <c>[claude, -p, "{prompt_file}", --model, "{model}"]</c>. The request becomes plain text
/// (<see cref="CommandPrompt"/>); the program gets it as <c>{prompt}</c> or in the file <c>{prompt_file}</c>; its stdout
/// (or, with <c>output: file</c>, the file <c>{output_file}</c>) is the answer. The program is started from an argument
/// list, never a shell, so nothing in a prompt is ever interpreted.
/// </summary>
/// <remarks>
/// <para>The call returns like an HTTP call does once headers arrive: a whole answer once the program has exited; a
/// stream once its first output arrives. A failure known by then comes back as an error status with an OpenAI-shaped
/// error body, read and classified like any provider's: a program that cannot be started or exits non-zero is
/// <see cref="ErrorCategory.Unavailable"/> (502, with the end of its stderr), one past its <c>timeout</c> is killed with
/// everything it started and is <see cref="ErrorCategory.Timeout"/> (504). A stream that fails later throws the same
/// error from its body. Usage is estimated (four characters to a token) and marked <c>"estimated": true</c>.</para>
/// </remarks>
internal sealed class CommandAdapter : IChatAdapter
{
    /// <summary>How long a run may take when the config sets no <c>timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    private const long MaxOutput = 64L * 1024 * 1024;
    private const int ReadSize = 16 * 1024;

    private static readonly JsonElement Estimated = JsonDocument.Parse("true").RootElement.Clone();

    private readonly CommandSettings _settings;

    public CommandAdapter(ProviderOptions entry, TimeProvider? time = null)
    {
        if (entry.Command is not { Count: > 0 } template || string.IsNullOrWhiteSpace(template[0]))
            throw new ConfigException($"providers.{entry.Name} is of type command and needs a command, such as command: [claude, -p, \"{CommandPlaceholders.Prompt}\"].");
        _settings = new CommandSettings(entry.Name, template, entry.Timeout ?? DefaultTimeout, entry.Output == "file", time ?? TimeProvider.System);
    }

    public WireDialect Dialect => WireDialect.Command;

    /// <summary>What is run and how, as configured.</summary>
    public CommandSettings Settings => _settings;

    /// <summary>A response id: programs give none.</summary>
    public static string NewResponseId() => "chatcmpl-cmd-" + Guid.NewGuid().ToString("N")[..24];

    public async Task<UpstreamResponse> SendAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        CommandRun run;
        try
        {
            run = CommandRun.Start(_settings, call.Model, call.Body, cancellationToken);
        }
        catch (Win32Exception e)
        {
            return Error(NotStarted(e));
        }

        var trailer = CommandTrailer.Create(call.Model, CommandTrailer.Characters(call.Body.Span), _settings.Time.GetUtcNow().ToUnixTimeSeconds());
        var handedOver = false;
        try
        {
            var output = new MemoryStream();
            var buffer = new byte[ReadSize];
            var read = await run.Stdout.ReadAsync(buffer, cancellationToken);
            if (call.Stream && !_settings.ReadsFile && read > 0)
            {
                // Output has begun: from here the client reads it as it comes, and a later failure ends the stream.
                handedOver = true;
                var first = CommandTrailer.RemoveMarkers(buffer.AsSpan(0, read));
                return new UpstreamResponse(200, new CommandOutputStream(run, buffer.AsMemory(0, first), trailer), "text/plain");
            }
            for (; read > 0; read = await run.Stdout.ReadAsync(buffer, cancellationToken))
            {
                // With output: file, stdout is read only so the program never blocks on a full pipe.
                if (_settings.ReadsFile) continue;
                if (output.Length + read > MaxOutput)
                    return Error(run.Failure(ErrorCategory.Unavailable, 502, "command_output_too_large", $"{_settings.Describe()} wrote more than {MaxOutput / (1024 * 1024)} MB."));
                output.Write(buffer, 0, CommandTrailer.RemoveMarkers(buffer.AsSpan(0, read)));
            }
            if (await run.FinishAsync(cancellationToken) is { } failure) return Error(failure);
            if (_settings.ReadsFile && await ReadOutputFileAsync(run, output, cancellationToken) is { } missing) return Error(missing);
            output.Write(trailer);
            output.Position = 0;
            return new UpstreamResponse(200, output, "text/plain");
        }
        finally
        {
            if (!handedOver) run.Dispose();
        }
    }

    /// <summary>Program failures are classified by the status the call gave them: 504 a timeout, anything else unavailable.</summary>
    public ErrorCategory Classify(int statusCode, ReadOnlySpan<byte> body) => statusCode switch
    {
        408 or 504 => ErrorCategory.Timeout,
        >= 400 and < 500 => ErrorCategory.BadRequest,
        _ => ErrorCategory.Unavailable,
    };

    /// <summary>The body a command gets is the prompt itself, as UTF-8 text.</summary>
    public void WriteRequest(ChatRequest request, string model, bool stream, IBufferWriter<byte> output)
    {
        var prompt = CommandPrompt.Render(request, _settings.Provider);
        Encoding.UTF8.GetBytes(prompt, output);
    }

    /// <summary>
    /// A whole answer: the output up to the trailer, with one final newline dropped, is the assistant's message; the
    /// trailer gives the model and the prompt's size. Throws <see cref="JsonException"/> without a trailer.
    /// </summary>
    public ChatResponse ReadResponse(ReadOnlySpan<byte> body)
    {
        var marker = body.IndexOf(CommandTrailer.Marker);
        if (marker < 0) throw new JsonException("the command's output has no end marker");
        var (model, promptChars, created) = CommandTrailer.Read(body[(marker + 1)..]);
        var output = body[..marker];
        if (output.EndsWith("\n"u8)) output = output[..^1];
        var text = Encoding.UTF8.GetString(output);
        int input = CommandTrailer.EstimateTokens(promptChars), completion = CommandTrailer.EstimateTokens(text.Length);
        return new ChatResponse
        {
            Id = NewResponseId(),
            Created = created,
            Model = model,
            Choices = [new ChatChoice { Index = 0, Message = ChatMessage.Assistant(text), FinishReason = FinishReasons.Stop }],
            Usage = new ChatUsage
            {
                PromptTokens = input,
                CompletionTokens = completion,
                TotalTokens = input + completion,
                AdditionalProperties = new() { ["estimated"] = Estimated },
            },
        };
    }

    public IStreamDecoder CreateStreamDecoder() => new CommandStreamDecoder();

    private async Task<SwitchboardException?> ReadOutputFileAsync(CommandRun run, MemoryStream output, CancellationToken cancellationToken)
    {
        var path = run.OutputFile!;
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return run.Failure(ErrorCategory.Unavailable, 502, "command_no_output",
                $"{_settings.Describe()} exited with code 0 but wrote nothing to {CommandPlaceholders.OutputFile} ({path}). " +
                $"With providers.{_settings.Provider}.output: file, the answer is read from that file: the program must write it there.");
        }
        if (file.Length > MaxOutput)
            return run.Failure(ErrorCategory.Unavailable, 502, "command_output_too_large", $"{_settings.Describe()} wrote more than {MaxOutput / (1024 * 1024)} MB to {CommandPlaceholders.OutputFile}.");
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        output.Write(bytes, 0, CommandTrailer.RemoveMarkers(bytes));
        return null;
    }

    private SwitchboardException NotStarted(Win32Exception e)
    {
        var why = e.NativeErrorCode switch
        {
            2 => Path.IsPathRooted(_settings.Program) || _settings.Program.Contains('/', StringComparison.Ordinal)
                ? "there is no such file"
                : "no program of that name was found on PATH",
            13 => "it is not executable (permission denied)",
            7 => $"its arguments are too long for the system; pass a long prompt as {CommandPlaceholders.PromptFile} rather than {CommandPlaceholders.Prompt}",
            _ => e.Message,
        };
        return new SwitchboardException(ErrorCategory.Unavailable, 502,
            $"Could not start {_settings.Describe()}: {why}. The first item of providers.{_settings.Provider}.command in {ConfigLoader.DefaultFileName} " +
            "is the program to run: install it, or give its full path.", code: "command_not_found")
        {
            Attempts = 1,
            Provider = _settings.Provider,
        };
    }

    /// <summary>A failure before any output reached the caller, as a status and an OpenAI-shaped error body, like a provider's.</summary>
    private static UpstreamResponse Error(SwitchboardException error)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new ErrorResponse { Error = new ErrorDetail { Message = error.Message, Type = error.Category == ErrorCategory.Timeout ? "timeout_error" : "api_error", Code = error.Code } },
            ChatJsonContext.Readable.ErrorResponse);
        return new UpstreamResponse(error.StatusCode, new MemoryStream(body), "application/json");
    }
}
