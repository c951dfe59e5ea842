using Switchboard.Chat;
using Switchboard.Providers;

namespace Switchboard.Execution;

/// <summary>A request ready to send: what it asked for, where it goes, the parameters left out on the way, and whether it crosses dialects.</summary>
internal sealed record PreparedChat(ChatRequestEnvelope Envelope, ModelResolution Target, string? DroppedParameters, bool Translated);
