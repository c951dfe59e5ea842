using System.Text;

namespace Switchboard.Cli.Tests;

/// <summary>A writer that keeps what is written and can be read while a command still runs (serve writes from another thread).</summary>
internal sealed class CapturedText : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_lock) return _text.ToString();
        }
    }

    public override void Write(char value)
    {
        lock (_lock) _text.Append(value);
    }

    public override void Write(string? value)
    {
        lock (_lock) _text.Append(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_lock) _text.Append(buffer, index, count);
    }
}
