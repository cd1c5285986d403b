"""route(), places(), project(): the same answers as the CLI's."""

import json
import os

import pytest

import routemap
from conftest import ROOT, run_cli


def test_route_equals_cli_geojson():
    feat = routemap.route("Pyongyang", "Vladivostok", via=["Tumangang"])
    cli = json.loads(run_cli("route", "Pyongyang", "Vladivostok", "--via", "Tumangang",
                             "--geojson", "-").stdout)
    assert feat == cli
    p = feat["properties"]
    assert feat["type"] == "Feature" and feat["geometry"]["type"] == "LineString"
    assert 900 < p["length_km"] < 1100
    assert p["countries"] == ["PRK", "RUS"]
    assert "Khasan-Baranovsky Line" in [leg["line"] for leg in p["lines"]]
    assert p["gaps"] == []


@pytest.mark.parametrize("frm,to", [("Pyongyang", "Beijing"), ("Dandong", "Vladivostok")])
def test_route_weighting_equals_cli(frm, to):
    # the default prefers main lines and avoids border crossings; these pairs
    # have a shorter route that the default does not take
    def cli(*opts):
        return json.loads(run_cli("route", frm, to, *opts, "--geojson", "-").stdout)

    default, shortest = routemap.route(frm, to), routemap.route(frm, to, shortest=True)
    assert default == cli()
    assert shortest == cli("--shortest")
    assert shortest["properties"]["length_km"] < default["properties"]["length_km"]
    assert routemap.route(frm, to, crossing_km=10) == cli("--crossing-km", "10")


def test_route_on_a_layer_without_country_field(tmp_path):
    # Natural Earth railroads have no COUNTRY: the borders come from
    # countries.shp, as on the command line (the Natural Earth clip is read in
    # place beside the checkout, when there)
    ne = os.path.join(ROOT, os.pardir, "shared", "data", "region", "ne_10m_railroads.shp")
    if not os.path.exists(ne):
        pytest.skip("no Natural Earth railroads beside the checkout")
    a, b = "125.7625,39.0392", "131.8869,43.1155"
    got = routemap.route(a, b, rail=ne)
    assert got == json.loads(run_cli("route", a, b, "--rail", ne, "--geojson", "-").stdout)
    assert got["properties"]["countries"][0] == "PRK"


def test_route_lonlat_pairs_and_options():
    a = routemap.route((125.7625, 39.0392), "131.8869,43.1155", max_gap_km=0)
    cli = json.loads(run_cli("route", "125.7625,39.0392", "131.8869,43.1155", "--max-gap", "0",
                             "--geojson", "-").stdout)
    assert a == cli


def test_route_errors():
    with pytest.raises(routemap.Error) as e:
        routemap.route("Pyongyang", "Vladivostk")
    assert e.value.status == "not_found" and "Vladivostok" in e.value.message
    with pytest.raises(routemap.Error) as e:
        routemap.route("Pyongyang", (0, 0))
    assert e.value.exit_code == 1 and e.value.status == "no_path"
    assert e.value.message.startswith("Pyongyang → 0.0,0.0: ")
    with pytest.raises(routemap.Error) as e:
        routemap.route("Pyongyang", "Beijing", rail="/nonexistent/rail.shp")
    assert e.value.status == "io" and "/nonexistent/rail" in e.value.message


def test_places_equals_cli_json():
    for q in ["vlad", "평양", "Владивосток", "zzzz"]:
        assert routemap.places(q) == json.loads(run_cli("places", "--json", q, check=False).stdout)
    assert routemap.places("zzzz") == []
    everything = routemap.places()
    assert everything == json.loads(run_cli("places", "--json").stdout)
    assert len(everything) > 50


def test_project_equals_cli():
    pts = ["Pyongyang", "131.9,43.1", (116.4074, 39.9042)]
    for crs in ["EPSG:3857", "auto", "+proj=lcc +lat_1=35 +lat_2=45 +lon_0=125"]:
        got = routemap.project(pts, crs=crs)
        args = ["Pyongyang", "131.9,43.1", "116.4074,39.9042"]
        lines = run_cli("project", "-l", "--crs", crs, *args).stdout.decode().splitlines()
        assert len(got) == len(lines) == 3
        for g, line in zip(got, lines):
            name, lon, lat, x, y = line.split("\t")
            assert "%.3f" % g["x"] == x and "%.3f" % g["y"] == y
            assert abs(g["lon"] - float(lon)) < 1e-6 and abs(g["lat"] - float(lat)) < 1e-6
    assert routemap.project("Pyongyang", crs="EPSG:4326")[0]["name"] == "Pyongyang"
    with pytest.raises(routemap.Error) as e:
        routemap.project(["Pyongyang"], crs="EPSG:999999")
    assert e.value.exit_code == 2
