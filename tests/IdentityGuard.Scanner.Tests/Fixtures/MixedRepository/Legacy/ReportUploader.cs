using System.Net;

namespace Legacy;

/// <summary>Uploads nightly reports to a partner over a certificate-pinned connection that pins nothing.</summary>
public static class ReportUploader
{
    public const string PartnerPassword = "wzaD8ooqMi495DWD" + "gz5xon790YncKg9h"; // expect: IG0002

    // A near miss: a placeholder, not a secret.
    public const string PartnerUser = "<partner-user>";

    public static HttpClient Create()
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => true, // expect: IG0401
            Credentials = new NetworkCredential(PartnerUser, Environment.GetEnvironmentVariable("PARTNER_PASSWORD")),
        };
        return new HttpClient(handler);
    }
}
