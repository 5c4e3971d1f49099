using Payments;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton<PaymentGateway>();
var app = builder.Build();

app.MapGet("/charges", async (HttpContext context, PaymentGateway gateway, ILogger<PaymentGateway> logger) =>
{
    logger.LogInformation("Charges requested with {Authorization}", context.Request.Headers.Authorization); // expect: IG0300
    return await gateway.ListChargesAsync();
});

app.Run();
