"""figures.markup: plotly's labels carry no markup from the data, and ours still works."""

import numpy as np
import plotly.graph_objects as go

from figures.markup import _plain, plain_figure, plain_text


def test_tags_from_the_data_become_text_and_ours_stay():
    assert plain_text('<a href="https://evil.example">x</a>') == (
        '&lt;a href="https://evil.example">x&lt;/a>'
    )
    assert plain_text("<span style='font-size:99px'>big</span>") == (
        "&lt;span style='font-size:99px'>big&lt;/span>"
    )
    assert plain_text("line one<br>line two <b>bold</b> <i>i</i> x<sup>2</sup>") == (
        "line one<br>line two <b>bold</b> <i>i</i> x<sup>2</sup>"
    )
    assert plain_text("%{y}<extra></extra>") == "%{y}<extra></extra>"
    assert plain_text("a < b and 3<4") == "a &lt; b and 3&lt;4"
    assert plain_text("no markup") == "no markup"


def test_every_drawn_string_of_a_figure_is_plain_and_numbers_are_kept():
    link = '<a href="https://evil.example">LA</a>'
    fig = go.Figure(
        go.Bar(
            x=[1.5, 2.5],
            y=[link, "Blackpool"],
            name=link,
            customdata=np.array([[link], ["ok"]], dtype=object),
            hovertemplate="%{customdata[0]}<extra></extra>",
            orientation="h",
        )
    )
    fig.update_layout(
        title={"text": f"{link}<br>2025"},
        xaxis={"title": {"text": link}},
        annotations=[{"text": link, "x": 0, "y": 0}],
        meta={"export": {"title": link}},  # escaped by assets/app.js when it draws it
    )
    plain = plain_figure(fig)
    text = str(plain)
    assert "<a href" not in text.replace(str(plain["layout"]["meta"]), "")
    assert plain["layout"]["title"]["text"].endswith("<br>2025")
    assert plain["layout"]["meta"]["export"]["title"] == link
    assert plain["data"][0]["hovertemplate"] == "%{customdata[0]}<extra></extra>"
    assert plain["data"][0]["customdata"][0][0].startswith("&lt;a href")
    assert go.Figure(plain).data[0].x == fig.data[0].x  # still a valid figure, same numbers


def test_the_figure_is_read_without_a_copy_and_as_to_plotly_json_gives_it():
    boundaries = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "E1"}]}
    fig = go.Figure(go.Choropleth(geojson=boundaries, locations=["E1"], z=[1.0], name="<b>x"))
    fig.update_layout(title={"text": "<a href='x'>t</a>"}, template="plotly_white")
    plain = plain_figure(fig)
    # The same figure as from the deep copy (plotly's own JSON), markup aside.
    assert plain == {key: _plain(value) for key, value in fig.to_plotly_json().items()}
    # The boundaries are passed on as they are, and the figure itself is left unchanged.
    assert plain["data"][0]["geojson"] is fig._data[0]["geojson"]
    assert fig.layout.title.text == "<a href='x'>t</a>"
    plain["layout"]["title"]["text"] = "changed"
    assert fig.layout.title.text == "<a href='x'>t</a>"
