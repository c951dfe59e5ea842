using Microsoft.AspNetCore.Http;
using Switchboard.Storage;

namespace Switchboard.Gateway;

/// <summary>
/// Who the key check let in, kept on the request for the endpoints: the holder of the master key, or a virtual
/// key (whose id reaches the usage record). Absent when no key was needed and none was sent.
/// </summary>
internal sealed class GatewayCaller
{
    private GatewayCaller(VirtualKey? key, bool master) => (Key, Master) = (key, master);

    public static GatewayCaller MasterKey { get; } = new(null, master: true);

    /// <summary>The virtual key presented; null for the master key.</summary>
    public VirtualKey? Key { get; }

    /// <summary>True when the caller presented the master key.</summary>
    public bool Master { get; }

    public static GatewayCaller For(VirtualKey key) => new(key, master: false);

    public static GatewayCaller? Of(HttpContext context) => context.Features.Get<GatewayCaller>();

    public void AttachTo(HttpContext context) => context.Features.Set(this);
}
