namespace Payments;

/// <summary>Calls the payment provider.</summary>
public sealed class PaymentGateway
{
    private const string LiveKey = "sk_" + "live_" + "08ZAIKVibIIdV9mzAEe5x8wH"; // expect: IG0001

#pragma warning disable IG0002 // A test-mode signing key, reviewed: it is a suppressed finding, not an active one.
    private const string WebhookSigningSecret = "kZACMna5rdiWBK6W" + "6Ygr9EI1D8wlMYqt"; // suppressed: IG0002
#pragma warning restore IG0002

    private readonly HttpClient _client = new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator, // expect: IG0401
    });

    public async Task<string> ListChargesAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.payments.example/v1/charges");
        request.Headers.Add("Authorization", "Bearer " + LiveKey);
        request.Headers.Add("X-Webhook-Check", WebhookSigningSecret.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await _client.SendAsync(request);

        // A near miss: the key's name and length are not the key.
        return $"{nameof(LiveKey)} ({LiveKey.Length} characters): {response.StatusCode}";
    }
}
