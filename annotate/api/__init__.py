"""The project API under /api/v1/projects/ (DRF): one module per part, their URLs in urls.py, and one
project-access rule for all of them (access.project_or_404)."""
