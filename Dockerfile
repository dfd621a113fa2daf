# The connector_graph dashboard and CLI.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN useradd --create-home --uid 10001 app
WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY pyproject.toml README.md app.py ./
COPY connector_graph ./connector_graph
COPY dashboard ./dashboard
COPY seed_data ./seed_data
COPY .streamlit ./.streamlit
RUN pip install --no-deps .

USER app
EXPOSE 8501
# streamlit run app.py, with the pages' modules loaded before the first request (dashboard/serve.py)
CMD ["python", "-m", "dashboard.serve", "--server.address=0.0.0.0", "--server.port=8501"]
