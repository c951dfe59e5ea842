namespace Switchboard.Configuration;

/// <summary>A tier of a <c>complexity</c> route: prompts scoring below <see cref="Below"/> go to <see cref="Target"/>.</summary>
public sealed record ComplexityTierOptions(double? Below, string Target);
