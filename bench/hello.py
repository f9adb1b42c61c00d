"""The baseline of `make bench`: a bare Flask app answering "hello", served exactly as Family Voice is."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "hello"
