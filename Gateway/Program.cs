using OzonActors.Gateway.Api;
using OzonActors.Gateway.OzonId;
using OzonActors.Gateway.Referral;
using OzonActors.Gateway.Returns;
using OzonActors.Gateway.StarProducts;
using OzonActors.Persistence.Hosting;

// The front door: REST API, live events and web pages. It co-hosts a silo (Gateway:Silo = CoHosted, the default), or
// is an Orleans client of the silos in the PostgreSQL membership table (Client).
var builder = WebApplication.CreateBuilder(args);
switch (builder.Configuration["Gateway:Silo"] ?? "CoHosted")
{
    case var mode when mode.Equals("CoHosted", StringComparison.OrdinalIgnoreCase):
        builder.AddOzonSilo();
        builder.AddOzonId();
        break;
    case var mode when mode.Equals("Client", StringComparison.OrdinalIgnoreCase):
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Postgres")))
        {
            Console.Error.WriteLine(OzonClientHostingExtensions.NeedsPostgres);
            return 2;
        }

        builder.AddOzonClusterClient();
        break;
    case var mode:
        Console.Error.WriteLine($"Gateway:Silo must be 'CoHosted' or 'Client', not '{mode}'.");
        return 2;
}

builder.AddGatewayApi();
builder.AddGatewayAuth();
builder.AddLiveEvents();
builder.Services.AddSingleton<Sessions>();

var app = builder.Build();
app.UseGatewayPipeline();
app.MapHealthEndpoints();
app.MapOperatorEndpoints();

// Every id and text of every request meets one rule before any handler runs (Gateway/Api/EdgeValidation.cs).
var api = app.MapGroup(string.Empty).ValidatesEdge();
api.MapAuthApi();
api.MapMeApi();
api.MapCompanyApi();
api.MapDevApi();
api.MapOrdersApi();
api.MapReturnsApi();
api.MapReturnListsApi();
api.MapStarProductsApi();
api.MapReferralApi();
app.MapLiveEvents();
app.Run();
return 0;

/// <summary>The entry point, visible to end-to-end tests.</summary>
public partial class Program;
