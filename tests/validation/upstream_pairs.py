"""Where the upstream normalized and keyValues examples of a model differ.

The projection of ``example-normalized.jsonld`` (NGSI-LD) is compared with ``example.jsonld``
and that of ``example-normalized.json`` (NGSI v2) with ``example.json``, attribute by
attribute. These differences are in the upstream files themselves - the two examples were
written separately: attributes present in one file only, different ids, different values
(``"Nce-Airport"`` vs ``"Nice-Airport"``, reordered arrays, NGSI v2 objects nested in NGSI-LD
values). Pairs not listed are lossless. The test fails if a pair gains or loses a
difference, so a regression in the projection cannot hide here.
"""

from __future__ import annotations

ONLY_NORMALIZED = "only in the normalized example"
ONLY_KEY_VALUES = "only in the keyValues example"
DIFFERS = "values differ upstream"

UPSTREAM_DIFFERENCES: dict[str, dict[str, str]] = {
    "Agrifood/AgriParcel/examples/example-normalized.jsonld": {
        "createdAt": ONLY_NORMALIZED,
        "modifiedAt": ONLY_NORMALIZED,
    },
    "Alert/Anomaly/examples/example-normalized.jsonld": {
        "id": DIFFERS,
    },
    "Building/VibrationsObserved/examples/example-normalized.jsonld": {
        "address": DIFFERS,
        "alternateName": ONLY_NORMALIZED,
        "areaServed": ONLY_NORMALIZED,
        "dataProvider": DIFFERS,
        "dateCreated": ONLY_NORMALIZED,
        "dateModified": ONLY_NORMALIZED,
        "description": ONLY_NORMALIZED,
        "id": DIFFERS,
        "owner": ONLY_NORMALIZED,
        "source": ONLY_NORMALIZED,
    },
    "Energy/ACMeasurement/examples/example-normalized.jsonld": {
        "alternateName": DIFFERS,
        "dateObserved": DIFFERS,
        "description": DIFFERS,
    },
    "Environment/AirQualityMonitoring/examples/example-normalized.jsonld": {
        "versionInfo": DIFFERS,
    },
    "Environment/FloodMonitoring/examples/example-normalized.jsonld": {
        "alertLevel": DIFFERS,
        "currentLevel": DIFFERS,
        "dangerLevel": DIFFERS,
        "measuredDistance": DIFFERS,
    },
    "Environment/RainFallRadarObserved/examples/example-normalized.jsonld": {
        "alternateName": DIFFERS,
        "dateObserved": DIFFERS,
        "dateObservedFrom": DIFFERS,
        "dateObservedTo": DIFFERS,
    },
    "IssueTracking/service_requests/examples/example-normalized.jsonld": {
        "expected_datetime": DIFFERS,
        "id": DIFFERS,
    },
    "KeyPerformanceIndicator/KeyPerformanceIndicator/examples/example-normalized.jsonld": {
        "address": DIFFERS,
        "dateNextCalculation": DIFFERS,
        "modifiedAt": DIFFERS,
    },
    "OSLO/BicycleParkingStation/examples/example-normalized.jsonld": {
        "InfrastructureElement.geometry": DIFFERS,
        "ParkingFacility.capacity": DIFFERS,
    },
    "OSLO/ResourceReport/examples/example-normalized.jsonld": {
        "ResourceReport.location": DIFFERS,
        "ResourceReport.service": DIFFERS,
    },
    "ParksAndGardens/FlowerBed/examples/example-normalized.jsonld": {
        "address": DIFFERS,
        "depth": ONLY_KEY_VALUES,
        "nextWateringDeadline": ONLY_KEY_VALUES,
    },
    "ParksAndGardens/Garden/examples/example-normalized.jsonld": {
        "address": DIFFERS,
    },
    "ParksAndGardens/GreenspaceRecord/examples/example-normalized.jsonld": {
        "litterCoverage": ONLY_KEY_VALUES,
        "soilMoisturePressure": ONLY_NORMALIZED,
        "soilMoistureVwc": ONLY_KEY_VALUES,
    },
    "Transportation/BikeLane/examples/example-normalized.jsonld": {
        "address": DIFFERS,
        "alternateName": ONLY_NORMALIZED,
        "areaServed": ONLY_NORMALIZED,
        "dataProvider": DIFFERS,
        "dateCreated": ONLY_NORMALIZED,
        "dateModified": ONLY_NORMALIZED,
        "owner": ONLY_NORMALIZED,
        "seeAlso": ONLY_NORMALIZED,
        "source": ONLY_NORMALIZED,
    },
    "Transportation/CityWork/examples/example-normalized.jsonld": {
        "allowedVehicle": ONLY_KEY_VALUES,
        "busImpacted": ONLY_KEY_VALUES,
        "contactPoint": DIFFERS,
        "countOfBusLineImpacted": ONLY_KEY_VALUES,
        "countOfDerogation": ONLY_KEY_VALUES,
        "countOfEventImpacted": ONLY_KEY_VALUES,
        "countOfRailwayLineImpacted": ONLY_KEY_VALUES,
        "countOfRoadImpacted": ONLY_KEY_VALUES,
        "countOfSchoolImpacted": ONLY_KEY_VALUES,
        "countOfStationImpacted": ONLY_KEY_VALUES,
        "countOfTramwayLineImpacted": ONLY_KEY_VALUES,
        "derogation": ONLY_KEY_VALUES,
        "encroachment": DIFFERS,
        "eventsImpact": ONLY_KEY_VALUES,
        "infrastructureFunction": DIFFERS,
        "isMainRoadImpactedHTR": ONLY_KEY_VALUES,
        "isMobile": ONLY_KEY_VALUES,
        "mainContractingCompagny": ONLY_KEY_VALUES,
        "mainContractingCompany": ONLY_NORMALIZED,
        "maxAuthorizedTonnage": ONLY_KEY_VALUES,
        "openingHoursSpecification": DIFFERS,
        "othersContractingCompagny": ONLY_KEY_VALUES,
        "othersContractingCompany": ONLY_NORMALIZED,
        "railwayImpacted": ONLY_KEY_VALUES,
        "roadImpacted": ONLY_KEY_VALUES,
        "schoolImpacted": ONLY_KEY_VALUES,
        "stationImpacted": ONLY_KEY_VALUES,
        "tramwayImpacted": ONLY_KEY_VALUES,
        "workDate": DIFFERS,
        "workDisposition": DIFFERS,
        "workLevel": DIFFERS,
        "workNature": DIFFERS,
        "workOtherImpact": ONLY_KEY_VALUES,
        "workReason": DIFFERS,
        "workTarget": DIFFERS,
        "workZone": DIFFERS,
    },
    "Transportation/CrowdFlowObserved/examples/example-normalized.jsonld": {
        "dateObserved": DIFFERS,
    },
    "UrbanMobility/PublicTransportRoute/examples/example-normalized.jsonld": {
        "name": DIFFERS,
    },
    "WasteManagement/WasteObserved/examples/example-normalized.jsonld": {
        "id": DIFFERS,
        "refServiceOrderId": DIFFERS,
    },
    "WaterDistributionManagementEPANET/Junction/examples/example-normalized.jsonld": {
        "demandCategory": DIFFERS,
        "head": ONLY_NORMALIZED,
        "initialQuality": DIFFERS,
        "pressure": ONLY_NORMALIZED,
        "quality": ONLY_NORMALIZED,
        "sourceCategory": DIFFERS,
        "sourceMassInflow": ONLY_NORMALIZED,
        "supply": ONLY_NORMALIZED,
    },
    "WaterDistributionManagementEPANET/Reservoir/examples/example-normalized.jsonld": {
        "head": ONLY_NORMALIZED,
        "initialQuality": DIFFERS,
        "pressure": ONLY_NORMALIZED,
        "quality": ONLY_NORMALIZED,
        "sourceCategory": DIFFERS,
        "sourceMassInflow": ONLY_NORMALIZED,
        "supply": ONLY_NORMALIZED,
    },
    "WaterDistributionManagementEPANET/Tank/examples/example-normalized.jsonld": {
        "head": ONLY_NORMALIZED,
        "level": ONLY_NORMALIZED,
        "pressure": ONLY_NORMALIZED,
        "quality": ONLY_NORMALIZED,
        "sourceCategory": DIFFERS,
        "sourceMassInflow": ONLY_NORMALIZED,
        "supply": ONLY_NORMALIZED,
    },
    "WaterQuality/WaterQualityPredicted/examples/example-normalized.jsonld": {
        "predictionValues": ONLY_NORMALIZED,
        "predictions": ONLY_KEY_VALUES,
    },
    "Alert/Alert/examples/example-normalized.json": {
        "dateCreated": ONLY_NORMALIZED,
        "dateModified": ONLY_NORMALIZED,
    },
    "Building/VibrationsObserved/examples/example-normalized.json": {
        "address": DIFFERS,
        "alternateName": ONLY_NORMALIZED,
        "areaServed": ONLY_NORMALIZED,
        "dataProvider": DIFFERS,
        "dateCreated": ONLY_NORMALIZED,
        "dateModified": ONLY_NORMALIZED,
        "description": ONLY_NORMALIZED,
        "id": DIFFERS,
        "owner": ONLY_NORMALIZED,
        "source": ONLY_NORMALIZED,
    },
    "Environment/AirQualityMonitoring/examples/example-normalized.json": {
        "airTemperatureTSA": DIFFERS,
        "ambientNoiseTSA": DIFFERS,
        "atmosphericPressureTSA": DIFFERS,
        "bapTSA": DIFFERS,
        "benzeneTSA": DIFFERS,
        "id": DIFFERS,
        "nh3TSA": DIFFERS,
        "no2TSA": DIFFERS,
        "o3TSA": DIFFERS,
        "owner": DIFFERS,
        "pbTSA": DIFFERS,
        "pm10TSA": DIFFERS,
        "relativeHumidityTSA": DIFFERS,
        "seeAlso": DIFFERS,
        "so2TSA": DIFFERS,
    },
    "Environment/FloodMonitoring/examples/example-normalized.json": {
        "alertLevel": DIFFERS,
        "currentLevel": DIFFERS,
        "dangerLevel": DIFFERS,
        "measuredDistance": DIFFERS,
    },
    "Environment/RainFallRadarObserved/examples/example-normalized.json": {
        "alternateName": DIFFERS,
    },
    "ParksAndGardens/GreenspaceRecord/examples/example-normalized.json": {
        "soilTemperature": ONLY_NORMALIZED,
    },
    "Transportation/CityWork/examples/example-normalized.json": {
        "infrastructureFunction": DIFFERS,
        "mainContractingCompagny": ONLY_KEY_VALUES,
        "mainContractingCompany": ONLY_NORMALIZED,
        "stationImpacted": DIFFERS,
        "workDisposition": DIFFERS,
        "workNature": DIFFERS,
        "workTarget": DIFFERS,
        "workZone": DIFFERS,
    },
    "Transportation/CrowdFlowObserved/examples/example-normalized.json": {
        "dateObserved": DIFFERS,
    },
    "UrbanMobility/PublicTransportRoute/examples/example-normalized.json": {
        "schedule": DIFFERS,
    },
    "WasteManagement/WasteObserved/examples/example-normalized.json": {
        "id": DIFFERS,
    },
    "WaterDistributionManagementEPANET/Junction/examples/example-normalized.json": {
        "head": ONLY_NORMALIZED,
        "initialQuality": DIFFERS,
        "pressure": ONLY_NORMALIZED,
        "quality": ONLY_NORMALIZED,
        "sourceMassInflow": ONLY_NORMALIZED,
        "supply": ONLY_NORMALIZED,
    },
    "WaterDistributionManagementEPANET/Reservoir/examples/example-normalized.json": {
        "head": ONLY_NORMALIZED,
        "initialQuality": DIFFERS,
        "pressure": ONLY_NORMALIZED,
        "quality": ONLY_NORMALIZED,
        "sourceMassInflow": ONLY_NORMALIZED,
        "supply": ONLY_NORMALIZED,
    },
    "WaterDistributionManagementEPANET/Tank/examples/example-normalized.json": {
        "head": ONLY_NORMALIZED,
        "level": ONLY_NORMALIZED,
        "pressure": ONLY_NORMALIZED,
        "quality": ONLY_NORMALIZED,
        "sourceMassInflow": ONLY_NORMALIZED,
        "supply": ONLY_NORMALIZED,
    },
    "WaterQuality/WaterQualityPredicted/examples/example-normalized.json": {
        "predictionValues": ONLY_NORMALIZED,
        "predictions": ONLY_KEY_VALUES,
    },
}
