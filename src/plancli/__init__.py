"""plancli: Chinese government plan documents into structured data."""
from .models import Document, Measure, Meta, Section, Target
from .parser import parse_file, parse_text
from .reader import read_path

__version__ = "0.1.0"
__all__ = ["Document", "Measure", "Meta", "Section", "Target", "parse_file", "parse_text", "read_path", "__version__"]
