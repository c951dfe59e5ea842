namespace Switchboard.Configuration;

/// <summary>
/// A secret as the config names it: <c>env:NAME</c> (read from the environment) or a literal.
/// Keeps the variable's name so an error can say exactly what to set, and never prints the value.
/// </summary>
public sealed record SecretReference
{
    private SecretReference(string? variable, string? literal) => (Variable, Literal) = (variable, literal);

    /// <summary>The environment variable that holds the secret, when the config names one.</summary>
    public string? Variable { get; }

    private string? Literal { get; }

    public static SecretReference FromVariable(string name) => new(name, null);

    public static SecretReference FromLiteral(string value) => new(null, value);

    /// <summary>Reads <c>env:NAME</c> as a variable and anything else as a literal value.</summary>
    public static SecretReference Parse(string text) =>
        text.StartsWith("env:", StringComparison.Ordinal) ? FromVariable(text[4..].Trim()) : FromLiteral(text);

    /// <summary>The secret's value, or null when the variable is unset or empty.</summary>
    public string? Resolve(Func<string, string?> environment)
    {
        var value = Variable is null ? Literal : environment(Variable);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>Never the value: <c>env:NAME</c> or <c>(inline)</c>.</summary>
    public override string ToString() => Variable is null ? "(inline)" : "env:" + Variable;
}
