using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Switchboard.Providers.Command;

/// <summary>
/// One run of a command provider's program: its temporary files, the process (started from an argument list, never a
/// shell, stdin closed), the tail of its stderr, and the two ways it is stopped early: its timeout, and the caller
/// giving up (a client that disconnects). Either kills the whole process tree. Disposing it kills what still runs and
/// deletes the temporary files.
/// </summary>
internal sealed class CommandRun : IDisposable
{
    private const int Running = 0, Exited = 1, TimedOutState = 2, Cancelled = 3;
    private const int StderrKept = 8 * 1024;
    private const int StderrLines = 10;

    // After the program exits its stderr is read to the end, unless something it started still holds the pipe open.
    private static readonly TimeSpan StderrGrace = TimeSpan.FromMilliseconds(500);

    private readonly CommandSettings _settings;
    private readonly Process _process;
    private readonly DirectoryInfo? _scratch;
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenRegistration _onDeadline;
    private readonly CancellationTokenRegistration _onCancel;
    private readonly Task _stderrPump;
    private readonly byte[] _stderr = new byte[StderrKept * 2];
    private int _stderrLength;
    private int _state;

    private CommandRun(CommandSettings settings, Process process, DirectoryInfo? scratch, string? outputFile, CancellationToken cancellationToken)
    {
        _settings = settings;
        _process = process;
        _scratch = scratch;
        OutputFile = outputFile;
        _process.StandardInput.Close();
        _stderrPump = PumpStderrAsync(_process.StandardError.BaseStream);
        _deadline = new CancellationTokenSource(settings.Timeout, settings.Time);
        _onDeadline = _deadline.Token.Register(() => Stop(TimedOutState));
        _onCancel = cancellationToken.Register(() => Stop(Cancelled));
    }

    /// <summary>The program's standard output, as it writes it.</summary>
    public Stream Stdout => _process.StandardOutput.BaseStream;

    /// <summary>The file <c>{output_file}</c> names, when the template has one.</summary>
    public string? OutputFile { get; }

    /// <summary>
    /// Starts the program with the template filled in for this call. Throws <see cref="Win32Exception"/> when it cannot be
    /// started (no such program, not executable, arguments too long); its temporary files are gone by then.
    /// </summary>
    public static CommandRun Start(CommandSettings settings, string model, ReadOnlyMemory<byte> prompt, CancellationToken cancellationToken)
    {
        var template = settings.Template;
        var needsFiles = CommandPlaceholders.Uses(template, CommandPlaceholders.PromptFile) || CommandPlaceholders.Uses(template, CommandPlaceholders.OutputFile);
        // A directory of its own (mode 0700 on Unix): the prompt is nobody else's to read, and one delete cleans up.
        var scratch = needsFiles ? Directory.CreateTempSubdirectory("switchboard-") : null;
        try
        {
            string? promptFile = null, outputFile = null, promptText = null;
            if (CommandPlaceholders.Uses(template, CommandPlaceholders.PromptFile))
            {
                promptFile = Path.Combine(scratch!.FullName, "prompt.txt");
                File.WriteAllBytes(promptFile, prompt.Span);
            }
            if (CommandPlaceholders.Uses(template, CommandPlaceholders.OutputFile)) outputFile = Path.Combine(scratch!.FullName, "output.txt");
            if (CommandPlaceholders.Uses(template, CommandPlaceholders.Prompt)) promptText = Encoding.UTF8.GetString(prompt.Span);

            string? Value(string placeholder) => placeholder switch
            {
                CommandPlaceholders.Prompt => promptText,
                CommandPlaceholders.PromptFile => promptFile,
                CommandPlaceholders.Model => model,
                CommandPlaceholders.OutputFile => outputFile,
                _ => null,
            };

            var start = new ProcessStartInfo(template[0])
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };
            for (var i = 1; i < template.Count; i++) start.ArgumentList.Add(CommandPlaceholders.Fill(template[i], Value));

            var process = new Process { StartInfo = start };
            try
            {
                process.Start();
            }
            catch
            {
                process.Dispose();
                throw;
            }
            return new CommandRun(settings, process, scratch, outputFile, cancellationToken);
        }
        catch
        {
            Delete(scratch);
            throw;
        }
    }

    /// <summary>
    /// Waits for the program to exit, once its output has been read to the end, and says how it went: null when it
    /// exited with 0, otherwise the error for the client (exit code with the end of stderr, or the timeout). Throws
    /// <see cref="OperationCanceledException"/> when the caller gave up.
    /// </summary>
    public async Task<SwitchboardException?> FinishAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(CancellationToken.None);
        Interlocked.CompareExchange(ref _state, Exited, Running);
        switch (Volatile.Read(ref _state))
        {
            case Cancelled:
                cancellationToken.ThrowIfCancellationRequested();
                throw new OperationCanceledException("The caller gave up on the command.");
            case TimedOutState:
                return Failure(ErrorCategory.Timeout, 504, "command_timeout",
                    $"{_settings.Describe()} ran past its timeout of {Seconds(_settings.Timeout)}, so Switchboard stopped it and everything it started. " +
                    $"If it needs longer, raise providers.{_settings.Provider}.timeout in {Configuration.ConfigLoader.DefaultFileName}.");
        }
        if (_process.ExitCode == 0) return null;
        await Task.WhenAny(_stderrPump, Task.Delay(StderrGrace, _settings.Time, CancellationToken.None));
        var stderr = StderrTail();
        return Failure(ErrorCategory.Unavailable, 502, "command_failed",
            $"{_settings.Describe()} exited with code {_process.ExitCode.ToString(CultureInfo.InvariantCulture)}" +
            (stderr.Length == 0 ? " and wrote nothing to stderr." : ". The end of its stderr:\n" + stderr));
    }

    /// <summary>An error about this run that names the provider.</summary>
    public SwitchboardException Failure(ErrorCategory category, int status, string code, string message) =>
        new(category, status, message, code: code) { Attempts = 1, Provider = _settings.Provider };

    public void Dispose()
    {
        _onCancel.Dispose();
        _onDeadline.Dispose();
        _deadline.Dispose();
        Kill();
        _process.Dispose();
        Delete(_scratch);
    }

    private void Stop(int reason)
    {
        if (Interlocked.CompareExchange(ref _state, reason, Running) == Running) Kill();
    }

    private void Kill()
    {
        try
        {
            // The whole tree: a wrapper script's children would otherwise outlive it and hold its output open.
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // It exited on its own in the meantime.
        }
    }

    private async Task PumpStderrAsync(Stream stderr)
    {
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stderr.ReadAsync(buffer)) > 0)
            {
                lock (_stderr)
                {
                    // Only the end matters: keep the last StderrKept bytes, shifting once the buffer is full.
                    if (_stderrLength + read > _stderr.Length)
                    {
                        var keep = Math.Min(_stderrLength, StderrKept);
                        _stderr.AsSpan(_stderrLength - keep, keep).CopyTo(_stderr);
                        _stderrLength = keep;
                    }
                    var take = Math.Min(read, _stderr.Length - _stderrLength);
                    buffer.AsSpan(read - take, take).CopyTo(_stderr.AsSpan(_stderrLength));
                    _stderrLength += take;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The process is gone and its pipe with it; what was read is what there is.
        }
    }

    /// <summary>The last lines of stderr, for the error message; only what the program wrote there, never its environment.</summary>
    private string StderrTail()
    {
        string text;
        lock (_stderr)
        {
            var kept = _stderr.AsSpan(0, _stderrLength);
            // The kept bytes may start inside a character; skip to the next whole one.
            var skip = 0;
            while (skip < kept.Length && (kept[skip] & 0xC0) == 0x80) skip++;
            text = Encoding.UTF8.GetString(kept[skip..]);
        }
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - StderrLines)));
        return tail.Length <= 2000 ? tail : "..." + tail[^2000..];
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    private static void Delete(DirectoryInfo? scratch)
    {
        try
        {
            scratch?.Delete(recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file the program still holds open; the system's temporary directory is cleaned in time.
        }
    }
}
