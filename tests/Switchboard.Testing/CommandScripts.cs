using System.Globalization;

namespace Switchboard.Testing;

/// <summary>
/// Small real programs for command-provider tests: POSIX shell scripts written into a temporary directory of their own and
/// made executable, so a test runs exactly what a user's config would, through the operating system and not a shell.
/// Disposing deletes the directory.
/// </summary>
public sealed class CommandScripts : IDisposable
{
    /// <summary>Prints <c>model=$2</c>, then the file <c>$1</c> (the prompt file).</summary>
    public const string EchoPromptFile = """
        printf 'model=%s\n' "$2"
        cat "$1"
        """;

    /// <summary>Prints each argument on a line of its own in brackets: proof of how arguments arrive.</summary>
    public const string EchoArguments = """
        for argument in "$@"; do printf '[%s]\n' "$argument"; done
        """;

    /// <summary>Prints <c>first line</c>, waits until the file <c>$1</c> exists, then prints <c>second line</c> and <c>third</c> (no newline).</summary>
    public const string SlowLines = """
        echo "first line"
        while [ ! -e "$1" ]; do sleep 0.02; done
        echo "second line"
        printf 'third'
        """;

    /// <summary>Writes two lines to stderr and exits with code 3.</summary>
    public const string Fail = """
        echo "loading model" >&2
        echo "error: model xyz is not available" >&2
        exit 3
        """;

    /// <summary>Writes its process id to <c>$1</c>, starts a child that sleeps, writes the child's id to <c>$2</c>, and waits for ever.</summary>
    public const string Hang = """
        echo $$ > "$1"
        sleep 300 &
        echo $! > "$2"
        wait
        """;

    /// <summary>Writes <c>answer for $2</c> to the file <c>$1</c> (the output file) and <c>noise</c> to stdout.</summary>
    public const string WriteOutputFile = """
        echo "noise"
        printf 'answer for %s\n' "$2" > "$1"
        """;

    /// <summary>Exits with 0 and writes nothing anywhere.</summary>
    public const string Silent = "exit 0";

    /// <summary>Creates an empty directory for the scripts.</summary>
    public CommandScripts() => Directory = System.IO.Directory.CreateTempSubdirectory("switchboard-scripts-").FullName;

    /// <summary>The directory the scripts are written to.</summary>
    public string Directory { get; }

    /// <summary>Writes <paramref name="body"/> as the executable script <paramref name="name"/> and returns its full path.</summary>
    public string Write(string name, string body)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.ReplaceLineEndings("\n") + "\n");
        // Command providers run on Unix-like systems here; there is no executable bit to set on Windows.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        return path;
    }

    /// <summary>A path in the scripts' directory, for files a script writes or waits for.</summary>
    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Reads a process id a script wrote to <paramref name="file"/>, waiting up to <paramref name="timeout"/> for it to appear.</summary>
    public static async Task<int> ReadProcessIdAsync(string file, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (File.Exists(file) && int.TryParse((await File.ReadAllTextAsync(file)).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)) return id;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No process id was written to {file} within {timeout}.");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Whether the process <paramref name="id"/> still runs. A killed process whose parent has not reaped it yet is a zombie
    /// (state <c>Z</c> in <c>/proc</c>): it runs no more, so it counts as gone.
    /// </summary>
    public static bool IsRunning(int id)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{id.ToString(CultureInfo.InvariantCulture)}/stat");
            // The state follows the command name, which is in parentheses and may itself hold spaces.
            var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart()[0];
            return state is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process <paramref name="id"/> to stop running; false if it still runs.</summary>
    public static async Task<bool> WaitGoneAsync(int id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsRunning(id))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20);
        }
        return true;
    }

    /// <summary>Deletes the scripts and everything they wrote.</summary>
    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A script still holds a file open; the system's temporary directory is cleaned in time.
        }
    }
}
