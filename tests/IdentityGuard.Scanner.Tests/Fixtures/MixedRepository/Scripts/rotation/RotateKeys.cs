// A one-off script kept in the repository, run with `dotnet run RotateKeys.cs`: no project file.
var accessKeyId = "AK" + "IAMPUYD2THRO7OBOEC"; // expect: IG0001
var region = Environment.GetEnvironmentVariable("AWS_REGION") ?? "eu-west-1";

using var client = new HttpClient();
using var request = new HttpRequestMessage(HttpMethod.Post, $"https://iam.{region}.amazonaws.example/rotate");
request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Environment.GetEnvironmentVariable("ROTATION_TOKEN"));
Console.WriteLine($"Rotating {accessKeyId[..4]}… with {request.Headers.Authorization}"); // expect: IG0300
await client.SendAsync(request);
