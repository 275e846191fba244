# One image per process kind: docker build --build-arg PROJECT=Gateway (or Silo).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT=Gateway
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
COPY . .
RUN dotnet publish "$PROJECT/$PROJECT.csproj" -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
ARG PROJECT=Gateway
ENV PROJECT=$PROJECT \
    ASPNETCORE_URLS=http://+:8080
WORKDIR /app
COPY --from=build /app .
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec dotnet OzonActors.$PROJECT.dll"]
