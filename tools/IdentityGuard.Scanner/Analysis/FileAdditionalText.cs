using System.IO;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.Scanner.Analysis;

/// <summary>A file on disk given to the rules as an AdditionalFile (what csc does for the AdditionalFiles item).</summary>
internal sealed class FileAdditionalText : AdditionalText
{
    private readonly object _gate = new();
    private SourceText? _text;

    public FileAdditionalText(string path) => Path = path;

    public override string Path { get; }

    public override SourceText GetText(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_text is null)
            {
                using var stream = File.OpenRead(Path);
                _text = SourceText.From(stream, Encoding.UTF8, canBeEmbedded: false);
            }

            return _text;
        }
    }
}
