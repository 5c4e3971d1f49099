using System.Collections.Generic;
using System.Threading;

namespace IdentityGuard.Demo.BusinessApis;

/// <summary>The calls one business API received, appended concurrently by Kestrel and read by tests.</summary>
internal sealed class CallRecorder
{
    private readonly Lock _gate = new();
    private readonly List<DemoApiCall> _calls = [];

    public IReadOnlyList<DemoApiCall> Snapshot()
    {
        lock (_gate)
        {
            return _calls.ToArray();
        }
    }

    public void Add(DemoApiCall call)
    {
        lock (_gate)
        {
            _calls.Add(call);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _calls.Clear();
        }
    }
}
