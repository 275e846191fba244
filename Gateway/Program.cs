// The front door: REST API, live events and web pages, co-hosting a silo.
var builder = WebApplication.CreateBuilder(args);
builder.AddOzonSilo();
builder.Services.AddProblemDetails();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthEndpoints();
app.Run();

/// <summary>The entry point, visible to end-to-end tests.</summary>
public partial class Program;
