import {
    AzureEndpoint,
    azureEndpointNeeds,
    DEFAULT_ENDPOINT_IMAGE,
    STORAGE_BLOB_DATA_READER,
} from "../../components/endpoint/azure";
import { ENDPOINT_TYPE } from "../../components/endpoint/index";
import { ACR_PULL_ROLE, AzureRegistry } from "../../components/registry/azure";
import { isValidName } from "../../components/shared/naming";
import { expectTagged, runAzure } from "../azure/harness";
import { descendants, ofType, one } from "../helpers/plan";

const APP = "azure-native:app:ContainerApp";
const AUTH = "azure-native:app:ContainerAppsAuthConfig";
const OTHER_LEVELS =
    /containerservice|hdinsight|synapse|databricks|eventhub|streamanalytics|machinelearningservices|app:Job$|kubernetes/i;

function build(o: { peakQps?: number; publicEndpoint?: boolean; image?: string } = {}) {
    return runAzure(
        (ctx, foundation, opts) => {
            const registry = new AzureRegistry(
                "registry",
                { ctx, foundation, pipelines: ["inference"], level: 4 },
                opts,
            );
            const e = new AzureEndpoint(
                "inference",
                {
                    ctx,
                    foundation,
                    registry,
                    peakQps: o.peakQps ?? 40,
                    publicEndpoint: o.publicEndpoint,
                    image: o.image,
                },
                opts,
            );
            return { endpointUrl: e.endpointUrl, auth: e.auth, run: e.runCommands.inference };
            // The stack program asks the foundation for what the endpoint reads: the model, by default.
        },
        { needs: azureEndpointNeeds({ image: o.image }) },
    );
}

describe("Azure serverless endpoint (Container Apps)", () => {
    test("scales from zero on an HTTP rule, up to the peak's replicas", async () => {
        const rs = await build({ peakQps: 500 });
        const app = one(rs, APP);
        const template = app.inputs.template as Record<string, Record<string, unknown>>;
        expect(template.scale).toMatchObject({
            minReplicas: 0,
            maxReplicas: 32,
            rules: [{ name: "http-concurrency", http: { metadata: { concurrentRequests: "2" } } }],
        });
        expect(app.inputs.workloadProfileName).toBe("Consumption");
        expect(app.inputs.managedEnvironmentId).toBe(one(rs, "azure-native:app:ManagedEnvironment").outputs.id);
        expect(isValidName("azureContainerApp", String(app.inputs.containerAppName))).toBe(true);
    });

    test("HTTPS only, external ingress reachable by callers; the URL is the app's FQDN", async () => {
        const rs = await build();
        const app = one(rs, APP);
        const ingress = (app.inputs.configuration as Record<string, Record<string, unknown>>).ingress;
        expect(ingress).toMatchObject({ external: true, allowInsecure: false, targetPort: 8080 });
        expect(one(rs, "azure-native:app:ManagedEnvironment").inputs.vnetConfiguration).toMatchObject({
            internal: false,
        });
        expect(rs.outputs.endpointUrl).toMatch(
            /^https:\/\/mlops-levels-dev-inference\.[a-z0-9-]+\.eastus\.azurecontainerapps\.io$/,
        );
        const containers = (app.inputs.template as { containers: { image: string }[] }).containers;
        expect(containers[0]!.image).toBe(DEFAULT_ENDPOINT_IMAGE);
        expect(DEFAULT_ENDPOINT_IMAGE).toBe("docker.io/kserve/sklearnserver:v0.20.0");
        // The default server serves the uploaded reference model, read from the Blob endpoint with
        // the app's own identity, and starts only after the upload.
        const c = containers[0] as unknown as { args: string[]; env: { name: string; value: string }[] };
        const model = one(rs, "azure:storage/blob:Blob");
        expect(model.inputs.name).toBe("samples/models/sklearn/model.joblib");
        const dir = String(model.outputs.url).replace(/\/model\.joblib$/, "");
        expect(dir).toMatch(/^https:\/\/[a-z0-9]+\.blob\.core\.windows\.net\/artifacts\/samples\/models\/sklearn$/);
        expect(c.args).toEqual(["--model_name=churn", `--model_dir=${dir}`, "--http_port=8080"]);
        const env = Object.fromEntries(c.env.map((e) => [e.name, e.value]));
        const identity = rs.find((r) => r.name === "inference-identity")!;
        expect(env).toMatchObject({ PREDICT_PROBA: "true", AZURE_CLIENT_ID: identity.outputs.clientId });
        expect(app.dependencies).toContain(model.urn);
        // The run command posts one feature row with an Entra token for the endpoint's audience.
        expect(rs.outputs.run).toBe(
            `curl -sS -X POST "${rs.outputs.endpointUrl}/v1/models/churn:predict" -H "Authorization: Bearer $(az account get-access-token --resource ${identity.outputs.clientId} --query accessToken --output tsv)" -H "Content-Type: application/json" -d '{"instances":[[30,52.71,7.2612,1,0,1,0]]}'`,
        );
    });

    test("a team image listens on 8080, runs its own command, and nothing is uploaded for it", async () => {
        const rs = await build({ image: "x.azurecr.io/models:1" });
        const ingress = (one(rs, APP).inputs.configuration as Record<string, Record<string, unknown>>).ingress;
        expect(ingress!.targetPort).toBe(8080);
        const c = (one(rs, APP).inputs.template as { containers: Record<string, unknown>[] }).containers[0]!;
        expect(c.args).toBeUndefined();
        expect(ofType(rs, "azure:storage/blob:Blob")).toEqual([]);
    });

    test("Entra ID authentication on by default: 401 without a token", async () => {
        const rs = await build();
        const auth = one(rs, AUTH);
        const identity = ofType(rs, "azure-native:managedidentity:UserAssignedIdentity").find(
            (i) => i.name === "inference-identity",
        )!;
        expect(auth.inputs).toMatchObject({
            containerAppName: one(rs, APP).outputs.name,
            platform: { enabled: true },
            globalValidation: { unauthenticatedClientAction: "Return401" },
            httpSettings: { requireHttps: true },
            identityProviders: {
                azureActiveDirectory: {
                    enabled: true,
                    registration: { clientId: identity.outputs.clientId },
                    validation: { allowedAudiences: [identity.outputs.clientId, `api://${identity.outputs.clientId}`] },
                },
            },
        });
        expect(rs.outputs.auth).toBe("entra-id");
    });

    test("publicEndpoint: true turns authentication off", async () => {
        const rs = await build({ publicEndpoint: true });
        expect(ofType(rs, AUTH)).toEqual([]);
        expect(rs.outputs.auth).toBe("none");
    });

    test("its own identity: AcrPull on the registry, Blob Data Reader on the artifacts container", async () => {
        const rs = await build();
        const identity = ofType(rs, "azure-native:managedidentity:UserAssignedIdentity").find(
            (i) => i.name === "inference-identity",
        )!;
        const grants = ofType(rs, "azure-native:authorization:RoleAssignment").filter(
            (g) => g.inputs.principalId === identity.outputs.principalId,
        );
        expect(grants.map((g) => String(g.inputs.roleDefinitionId).split("/").pop()).sort()).toEqual(
            [ACR_PULL_ROLE, STORAGE_BLOB_DATA_READER].sort(),
        );
        const acr = one(rs, "azure-native:containerregistry:Registry");
        expect(grants.find((g) => String(g.inputs.roleDefinitionId).endsWith(ACR_PULL_ROLE))!.inputs.scope).toBe(
            acr.outputs.id,
        );
        expect(
            String(
                grants.find((g) => String(g.inputs.roleDefinitionId).endsWith(STORAGE_BLOB_DATA_READER))!.inputs.scope,
            ),
        ).toMatch(/\/blobServices\/default\/containers\/artifacts$/);
        const config = one(rs, APP).inputs.configuration as { registries: { server: string; identity: string }[] };
        expect(config.registries).toEqual([{ server: acr.outputs.loginServer, identity: identity.outputs.id }]);
    });

    test("tags, parents, and no other level's types", async () => {
        const rs = await build();
        const component = one(rs, ENDPOINT_TYPE);
        const mine = descendants(rs, component.urn);
        expect(mine.map((r) => r.type)).toEqual(expect.arrayContaining([APP, AUTH]));
        expectTagged(
            mine.filter((r) => r.type !== AUTH),
            "inference",
            4,
        );
        expect(rs.filter((r) => OTHER_LEVELS.test(r.type)).map((r) => r.type)).toEqual([]);
    });
});
