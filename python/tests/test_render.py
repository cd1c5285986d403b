"""render(): the same bytes as the CLI, from a path, a dict or JSON text, to
bytes or a file; errors as routemap.Error naming file:line:col."""

import json
import os

import pytest

import routemap
from conftest import example, run_cli


def test_render_path_equals_cli_stdout():
    svg = routemap.render(example("kim-train-2023.json"))
    assert svg.startswith(b"<?xml") and b"<svg" in svg[:400]
    assert svg == run_cli("render", example("kim-train-2023.json"), "-o", "-").stdout


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_render_formats_equal_cli(fmt, tmp_path):
    spec = example("kim-train-2019.json")
    data = routemap.render(spec, format=fmt)
    out = tmp_path / ("cli." + fmt)
    run_cli("render", spec, "-o", str(out))
    assert data == out.read_bytes()
    assert data[:4] == (b"\x89PNG" if fmt == "png" else b"%PDF")


def test_default_map_is_the_example():
    assert routemap.render() == routemap.render(example("kim-train-2023.json"))


def test_dict_and_text_equal_file():
    with open(example("kim-train-2023.json"), encoding="utf-8") as f:
        text = f.read()
    ref = routemap.render(example("kim-train-2023.json"))
    assert routemap.render(json.loads(text)) == ref
    assert routemap.render(text) == ref


def test_relative_paths_of_a_dict_resolve_against_base_dir():
    # markers_file is relative to the spec file's directory (examples/)
    path = example("kim-trips-2018-2023.json")
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    ref = routemap.render(path)
    assert routemap.render(spec, base_dir=os.path.dirname(path)) == ref
    with pytest.raises(routemap.Error) as e:
        routemap.render(spec, base_dir="/nonexistent-dir")
    assert "trips.csv" in e.value.message


def test_render_to_file_by_extension(tmp_path):
    out = tmp_path / "trip.png"
    assert routemap.render(example("kim-train-2019.json"), out) == out
    assert out.read_bytes() == routemap.render(example("kim-train-2019.json"), format="png")
    svg = tmp_path / "trip.svg"
    routemap.render({"title": "x"}, str(svg))
    assert svg.read_bytes().startswith(b"<?xml")


def test_spec_output_format_is_used_without_out_or_format(tmp_path):
    data = routemap.render({"output": {"path": "ignored.pdf", "format": "png"}})
    assert data[:4] == b"\x89PNG"
    assert routemap.render({"output": "ignored.pdf"})[:4] == b"%PDF"
    assert not os.path.exists("ignored.pdf")


def test_bad_spec_file_names_file_line_col(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "size": {"width": 800,\n           "heigth": 500}\n}\n')
    with pytest.raises(routemap.Error) as e:
        routemap.render(str(bad))
    err = e.value
    cli = run_cli("render", str(bad), "-o", "-", check=False)
    assert cli.returncode == err.exit_code == 2
    assert cli.stderr.decode().strip() == "routemap: " + err.message
    assert (err.file, err.line, err.column) == (str(bad), 3, 12)
    assert err.status == "spec" and err.meaning == "bad usage or bad input"
    assert "did you mean 'height'" in err.message
    assert "%s:3:12" % bad in str(err)


def test_bad_dict_names_the_key():
    with pytest.raises(routemap.Error) as e:
        routemap.render({"theme": "sepia"})
    assert e.value.file == "spec" and e.value.line and "theme" in e.value.message


def test_unreachable_place_is_exit_code_1():
    with pytest.raises(routemap.Error) as e:
        routemap.render({"routes": [{"from": "Pyongyang", "to": "0,0"}]})
    assert e.value.exit_code == 1 and e.value.meaning == "the map could not be made"


def test_failed_render_leaves_no_file(tmp_path):
    out = tmp_path / "map.svg"
    with pytest.raises(routemap.Error):
        routemap.render({"routes": [{"from": "Pyongyang", "to": "Nowhereville"}]}, out)
    assert not out.exists() and os.listdir(tmp_path) == []
    with pytest.raises(routemap.Error) as e:
        routemap.render(None, tmp_path / "missing-dir" / "map.svg")
    assert e.value.status == "io"


def test_bad_format_and_type():
    with pytest.raises(routemap.Error):
        routemap.render(None, format="gif")
    with pytest.raises(TypeError):
        routemap.render(42)


def test_error_pickles():
    import pickle

    try:
        routemap.render({"size": {"width": -1}})
    except routemap.Error as e:
        e2 = pickle.loads(pickle.dumps(e))
        assert (e2.message, e2.status, e2.exit_code, e2.line) == (e.message, e.status,
                                                                  e.exit_code, e.line)
    else:
        pytest.fail("a negative width was accepted")
